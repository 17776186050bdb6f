"""The local preview: the bot's Slack messages drawn as a web page, no Slack needed.

`toolkit-bot serve --mode preview` (and plain `serve` when no Slack variable is set) starts
it. Nothing here builds an answer: every message is the Block Kit bot.slack would post.
"""
