"""briefpack: turn briefing content written in YAML into executive PDF and Word packs."""

__version__ = "0.1.0"
