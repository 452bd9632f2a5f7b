"""`d2l-tui export`: lessons as Jupyter notebooks (pure core; never imports Textual or runs a cell).

Importing this package imports nothing (the command's options cost no nbformat import).

- `notebook.lesson_notebook(lesson, workbook=None)` -> an nbformat-4 notebook: the lesson's prose as Markdown
  (math kept as `$…$`), a first code cell with the kernel's imports and every cell's `setup`, code
  cells (the learner's code and last outputs when a `Workbook` is given), quizzes as Markdown with
  hint and answer in closed `<details>`, training panels as the book's MXNet code with the panel's
  settings, and the other blocks as runnable code or a Markdown note.
- `notebook.index_notebook(lessons, files, lang)` -> a notebook linking each exported lesson.
- `command.configure(parser)` / `command.run(args)`: the subcommand.
"""
