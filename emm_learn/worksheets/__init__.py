"""Worksheets: answers to the exercise prompts, every save kept as a revision, and take-home exports."""
