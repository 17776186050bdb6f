"""Make the stand-in fixtures available to the stand-in's own tests."""

from tests.stand_in.fixtures import fake_slack, signing_secret  # noqa: F401
