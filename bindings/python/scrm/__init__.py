"""libscrm for Python: social ROI and CRM metrics through the libscrm C library.

A pure-Python ctypes binding: no compiler needed, only the shared library
(found through ``SCRM_LIBRARY``, a copy bundled in ``scrm/_libs``, or the
system; see :mod:`scrm._lib`). NumPy and pandas are optional.

    >>> import scrm
    >>> with scrm.Dataset.from_dir("examples/data") as ds:
    ...     print(ds.rows("transactions"))

Every public module (``scrm.dataset``, ``scrm.times``, one per C module) is
imported here by name, and the names in its ``__all__`` are available as
``scrm.<name>`` (so IDEs and type checkers see them). ``scrm.dask``,
``scrm.charts`` and ``scrm.compat`` (optional dependencies) are imported on
demand: ``import scrm.dask``. A new module is added to the list below; the
binding's tests check that every module's ``__all__`` is exported here.
"""

from . import errors
from ._accumulator import Accumulator
from ._lib import AbiMismatchError, LibraryNotFoundError, MissingSymbolError
from .errors import (ClosedError, InvalidArgumentError, NotConvergedError, NotFoundError,
                     ParseError, ScrmError)

from . import (clv, core, crv, customer_base, dataset, engagement, nps, roi, service, special,
               times)
from .core import (version, version_number, abi_version, library_path, strerror, last_error,
                   clear_error, free)
from .times import (TIME_NONE, SECONDS_PER_DAY, Period, time_parse, time_format, to_seconds,
                    to_datetime, period_start, period_add)
from .dataset import (Dataset, Table, ColumnType, OnError, ValueType, Column, LoadReport,
                      Rejection, columns, column_info, table_id, table_name, load_options)
from .nps import (Nps, NpsResult, NpsComparison, NpsGroup, CiMethod, Referral, nps_compare,
                  NPS_SCORES)
from .service import (Service, ServiceGroup, ServiceStats, ServiceResult, Durations,
                      SavingsResult, SavingsInputs, ErlangResult, StaffingResult, savings,
                      savings_compute, erlang_b, erlang_c, erlang_staffing,
                      SERVICE_MAX_TARGETS)
from .engagement import (Engagement, EngagementResult, EngagementDay, EngagementKind,
                         EngagementValid, EngagementCompetitors, engagement_hash)
from .crv import (Crv, CrvResult, CrvColumn, CrvSource, CrvAcquisition, Segment, Split,
                  SegmentSummary, crv_segments)
from .customer_base import (Rfm, RfmInfo, RfmHistogram, RfmHistInfo, RfmHistRows, RfmValue,
                            RfmColumn, ClvTiming, Cohort, clv_closed_form, clv_cohort, sbg_fit,
                            sbg_survival, sbg_retention, sbg_derl)
from .clv import ClvKind, ClvModel, ClvFitResult, kind_name, kind_param_names
from .roi import (Payback, npv, irr, payback, discounted_payback, rate_per_period,
                  periods_per_year_of, roi_ratio, LineKind, Input, DistKind, Flows, Metric,
                  MODEL_LINE, RoiModel, MonteCarlo, LineInfo, RoiResult, SensitivityRow, Stats,
                  McSummary, fixed, uniform, triangular, pert, normal, lognormal,
                  lognormal_mean, input_name)
from .special import (lgamma, lgamma_e, lgamma_sgn, lbeta, lbeta_e, digamma, digamma_e,
                      hyperg_2f1, hyperg_2f1_e, hyperg_2f1_log)

#: Version of this Python package (follows the library it was written for).
__version__ = "0.1.0"

__all__ = ["errors", "Accumulator", "ScrmError", "AbiMismatchError", "LibraryNotFoundError",
           "MissingSymbolError", "ClosedError", "InvalidArgumentError", "NotConvergedError",
           "NotFoundError", "ParseError", "__version__"]
# The form type checkers understand for re-exported module lists (pyright, mypy).
__all__ += core.__all__
__all__ += times.__all__
__all__ += dataset.__all__
__all__ += nps.__all__
__all__ += service.__all__
__all__ += engagement.__all__
__all__ += crv.__all__
__all__ += customer_base.__all__
__all__ += clv.__all__
__all__ += roi.__all__
__all__ += special.__all__
