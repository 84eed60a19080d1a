"""Conversations and enablement: call plans, interactions and their value quality, coaching."""
