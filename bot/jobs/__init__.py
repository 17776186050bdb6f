"""Work done on a schedule rather than in answer to Slack: daily tips (`run_due`, the scheduler)."""
