"""Freeze-dose engine: heat transfer with phase change in skin (pure NumPy/SciPy, no Django)."""
