"""Keep a job-architecture canon honest: validate it and render its goal frames."""

__version__ = "0.1.0"
