"""Local stand-in for Slack: Web API, response_urls, Socket Mode and signed HTTP requests."""

from tests.stand_in import payloads
from tests.stand_in.block_limits import message_problem, view_violations, violations
from tests.stand_in.driver import DriverResponse, SignedDriver, sign
from tests.stand_in.records import Call, ResponsePost
from tests.stand_in.socket_mode import SocketModeStandIn, close_socket_client, socket_mode_running
from tests.stand_in.web_api import FakeSlack

__all__ = [
    "Call",
    "DriverResponse",
    "FakeSlack",
    "ResponsePost",
    "SignedDriver",
    "SocketModeStandIn",
    "close_socket_client",
    "message_problem",
    "payloads",
    "sign",
    "socket_mode_running",
    "view_violations",
    "violations",
]
