"""Command-line adapter: arguments -> settings -> api -> renderer -> exit code."""
