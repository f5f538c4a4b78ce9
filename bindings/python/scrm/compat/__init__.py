"""Compatibility layers: other libraries' APIs computed by libscrm.

- :mod:`scrm.compat.lifetimes`: the lifetimes package (BG/NBD, MBG/NBD,
  Pareto/NBD, Gamma-Gamma, BG/BB fitters and its utilities); switching is a
  one-line import change.
"""
