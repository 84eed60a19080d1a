"""ValueScout: value-focused selling — value networks, value cases, price desk, analytics."""

__version__ = "0.1.0"
