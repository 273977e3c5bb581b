"""Jixiao (绩效): performance management for township governments and county bureaus."""

__version__ = "0.1.0"
