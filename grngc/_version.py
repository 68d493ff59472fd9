"""The package version, below everything that records it (run.json, the logs)."""
__version__ = "0.1.0"
