"""lifetimes, computed by libscrm: a drop-in path for lifetimes users.

Switching is a one-line import change::

    # from lifetimes import BetaGeoFitter, GammaGammaFitter
    from scrm.compat.lifetimes import BetaGeoFitter, GammaGammaFitter
    # from lifetimes.utils import summary_data_from_transaction_data
    from scrm.compat.lifetimes.utils import summary_data_from_transaction_data

The fitters keep lifetimes' names, signatures, attributes (``params_``,
``summary``, ``data``, ``standard_errors_``, ``confidence_intervals_``,
``predict``, ``_negative_log_likelihood_``) and units, accept lists, NumPy
arrays and pandas Series (results are Series indexed like the input Series),
and compute everything in libscrm (maximum likelihood by BFGS with analytic
gradients, predictions in log space). NumPy is required; pandas is optional
(without it ``params_`` is a dict and tables are dicts of arrays).

Known differences from lifetimes 0.11
-------------------------------------
Fitting
  - One optimizer for every model: BFGS on log-parameters with analytic
    gradients, stopping when the gradient of the mean negative log-likelihood
    is below ``tol`` (BG/NBD, MBG/NBD, Gamma-Gamma, BG/BB: lifetimes' ``tol``,
    default 1e-7, which lifetimes' BFGS reads the same way). Pareto/NBD is
    fitted by Nelder-Mead in lifetimes: its ``tol``, ``fit_method`` and
    ``iterative_fitting`` do not apply and the fit runs to 1e-8. Estimates
    agree with lifetimes' to the optimizer's precision (CDNOW: within 1e-3 of
    the published values); Pareto/NBD estimates are usually closer to the true
    maximum than Nelder-Mead's.
  - ``BetaGeoBetaBinomFitter.fit`` has lifetimes 0.11's signature (BFGS,
    log-parameter ``initial_params``); the Nelder-Mead keywords of lifetimes
    before 0.10 (``iterative_fitting``, ``fit_method``) are ignored with a
    warning.
  - ``initial_params`` follow lifetimes (log-parameters on its rescaled time axis
    for BG/NBD, MBG/NBD and Gamma-Gamma; natural values on that axis for
    Pareto/NBD and BG/BB) and are converted.
  - ``**kwargs`` for scipy.optimize.minimize: ``maxiter``, ``gtol`` and ``disp``
    are honoured; other options are ignored with a warning. ``verbose`` prints
    one summary after the fit, not scipy's messages.
  - Non-integer frequencies raise ``ValueError`` (lifetimes truncates them with
    ``astype(int)``); so do recency > T, recency != 0 with frequency 0, negative
    values and (Gamma-Gamma) frequency 0 or monetary_value <= 0, with a message
    naming the row.
  - Non-convergence raises ``ConvergenceError`` (a ``ValueError``, as lifetimes'),
    chained to the libscrm error that carries the best point found.
  - ``GammaGammaFitter.fit(q_constraint=True)``: libscrm does not fit under
    constraints; when the unconstrained optimum has q < 1 it raises
    ``ConvergenceError`` instead of returning a constrained estimate.
  - ``penalizer_coef`` gives lifetimes' penalised estimates (tested to the
    optimizer's precision against lifetimes' objectives for every fitter):
    c * sum(theta^2) with alpha (and Pareto/NBD's beta) divided by the largest
    T, added to the mean negative log-likelihood; for Pareto/NBD, whose
    lifetimes objective is the total divided by the mean weight, libscrm is
    given c / len(frequency). The largest T counts rows of weight 0, as
    lifetimes' T.max() does.
  - ``solution_iter`` and ``ll_summary`` are not provided. ``variance_matrix_``
    (lifetimes' layout: entry (i, j) is p_j^2 (H^-1)_ij) and ``standard_errors_``
    come from the library's Hessian at its optimum (also for Pareto/NBD, where
    lifetimes has none); ``generate_new_data`` draws from NumPy's global random
    state as lifetimes does, not with the same draws.
  - Extra attribute: ``log_likelihood_``, the total log-likelihood on the data
    as given (the number the papers print).
Predictions
  - ``params_`` drives every prediction, as in lifetimes (set by hand, loaded or
    changed in place); values that are not finite and > 0 raise ``ValueError``.
  - Rows with frequency 0 and recency > 0 are evaluated as lifetimes evaluates
    its formulas there. At horizons of 1e6 and beyond, where lifetimes' scipy
    2F1 loses digits, and where it gives NaN, the values are the exact ones.
  - ``BetaGeoBetaBinomFitter.conditional_probability_alive(m, ...)`` is libscrm's
    P(alive at n + 1) times the beta-function ratio for the m - 1 further
    opportunities; ``expected_number_of_transactions_in_first_n_periods`` uses
    libscrm's P(X(n) = x) for the frequencies seen in the data.
  - Other invalid prediction inputs (negative, non-integer frequency, recency > T)
    raise, naming the row.
Persistence
  - ``save_model``/``load_model`` pickle the fitter's attributes with lifetimes'
    semantics (a dill dump in lifetimes): files are not interchangeable with
    lifetimes'. Load only files you trust.
Utilities
  - ``summary_data_from_transaction_data``/``calibration_and_holdout_data`` give
    lifetimes' tables for every ``freq`` lifetimes accepts (D, W, M, Y, h, m, ...
    to ms/us/ns; recency and T in NumPy's units, a month being 30.436875 days,
    as lifetimes), and also Q, A, H, min, MS, QS, AS/YS. Periods shorter than a
    day: at most 2,900,000 of them between the first and the last time. The
    calibration period ends at ``calibration_period_end`` to the second, as in
    lifetimes. Naive datetimes are UTC; rows are sorted by customer id.
  - ``customer_lifetime_value(model, ...)`` needs one of these fitters as the
    transaction model; ``freq`` as in lifetimes (D, W, M, H).
  - ``expected_cumulative_transactions``, ``calculate_alive_path`` and the
    private helpers ``_find_first_transactions``, ``_check_inputs`` (lifetimes'
    messages), ``_scale_time``, ``_customer_lifetime_value`` are provided.
Plotting
  - ``scrm.compat.lifetimes.plotting`` has lifetimes' ten charts with their
    signatures, titles and labels (needs matplotlib and pandas; SciPy for the
    two heterogeneity charts). ``plot_period_transactions`` draws the expected
    number of customers per repeat frequency where lifetimes draws one random
    sample of the model.
Not provided
  - ``BetaGeoCovarFitter``, ``lifetimes.datasets`` (data sets, not code),
    ``lifetimes.generate_data``.
"""

from . import utils
from ._common import ConvergenceError
from .fitters import (BaseFitter, BetaGeoBetaBinomFitter, BetaGeoFitter, GammaGammaFitter,
                      ModifiedBetaGeoFitter, ParetoNBDFitter)

__all__ = ["BaseFitter", "BetaGeoFitter", "ModifiedBetaGeoFitter", "ParetoNBDFitter",
           "GammaGammaFitter", "BetaGeoBetaBinomFitter", "ConvergenceError", "utils"]
