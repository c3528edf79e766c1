"""Figures: numbers, units and periods parsed from Chinese news text."""
