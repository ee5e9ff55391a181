"""Stardrill core: platform-agnostic; never imports a platform SDK."""
