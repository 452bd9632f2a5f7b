"""Quizzes: parsing and validating `quiz` blocks, grading answers, shuffling, progress records.

Pure core: nothing here imports Textual, and MXNet is only reached through the code kernel.
"""
