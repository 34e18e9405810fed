"""Helpers every layer shares, below all of them: the bounded YAML loader and the normalising of dates,
document numbers and punctuation. They import only the leaf modules `errors`, `gbt9704` and `model.limits`,
never a package of the pipeline, so no package reaches another through them."""
