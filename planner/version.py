"""The planner's version, in one place (the package metadata says the same: pyproject.toml)."""

__version__ = "0.1.0"
