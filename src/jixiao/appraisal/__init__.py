"""公众评议 (public appraisal): respondent frames, stratified samples, anonymous surveys.

``sampling``, ``statistics`` and ``frames`` are pure Python (no Django import): the
``jixiao sample`` command uses them without starting Django.
"""
