"""Adapters translate between a platform and the core. They hold no product logic."""
