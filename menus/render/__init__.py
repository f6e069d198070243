"""Renderers: one per channel, each turning the same View into what that channel carries."""
