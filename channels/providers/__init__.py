"""The outside systems Chopbar talks to, one package each, both directions side by side."""
