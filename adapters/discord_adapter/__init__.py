"""Discord adapter (discord.py 2.7): translate, render, adapter, client, runtime."""
