"""Toolkit Bot: answers officers' questions from the College of Policing Crime Reduction Toolkit."""

__version__ = "0.1.0"
