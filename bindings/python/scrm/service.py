"""Social customer service metrics, cost savings and Erlang C staffing.

- :class:`Service` (``scrm_service``): a calculator and mergeable accumulator
  over service tickets: volume, response and resolution rates, backlog, time to
  answer and to resolution (mean, min, median, p90, p95, max), SLA attainment,
  handle time; overall and per channel, agent, team or period. Accumulators of
  disjoint parts merge exactly; :meth:`Service.to_bytes` / pickling carry the
  state between processes (e.g. Spark workers).
- :func:`savings` / :func:`savings_compute`: cost savings of social customer
  service (call deflection minus agent and program costs), every component
  reported.
- :func:`erlang_b`, :func:`erlang_c`, :func:`erlang_staffing`: queueing
  formulas for staffing (M/M/N, no abandonment).

Times are seconds since the epoch (``int``), ISO-8601 strings, ``datetime`` or
NumPy ``datetime64``; ``None``/NaT mean missing. Durations are in seconds.
"""

import enum
import math
import operator
from ctypes import POINTER, byref, c_char_p, c_double, c_int, c_int32, c_int64, c_size_t, \
    c_uint, c_uint8, c_uint32, c_uint64
from typing import Optional, Tuple

from ._arrays import as_input, np
from ._accumulator import Accumulator
from ._lib import HandlePtr, _fn, check_status
from ._structs import CONSTANTS, Result, Struct, from_struct, make_options, result, set_field
from .dataset import Dataset, DatasetPtr
from .errors import SCRM_EINVAL, BufferTooSmallError, NoDataError, error_for
from .times import TIME_NONE, Period, to_seconds

__all__ = ["Service", "ServiceGroup", "ServiceStats", "ServiceResult", "Durations",
           "SavingsResult", "SavingsInputs", "ErlangResult", "StaffingResult", "savings",
           "savings_compute", "erlang_b", "erlang_c", "erlang_staffing",
           "SERVICE_MAX_TARGETS"]

SERVICE_MAX_TARGETS = 4
SERVICE_OPTIONS_VERSION = 1
SERVICE_SAVINGS_OPTIONS_VERSION = 1
STAFFING_OPTIONS_VERSION = 1


class ServiceGroup(enum.IntEnum):
    """How :class:`Service` splits tickets into groups (enum scrm_service_group)."""

    NONE = 0
    CHANNEL = 1
    AGENT = 2
    TEAM = 3
    PERIOD = 4


CONSTANTS.update({f"SCRM_SERVICE_GROUP_{g.name}": g.value for g in ServiceGroup})
CONSTANTS.update(SCRM_SERVICE_MAX_TARGETS=SERVICE_MAX_TARGETS,
                 SCRM_SERVICE_OPTIONS_VERSION=SERVICE_OPTIONS_VERSION,
                 SCRM_SERVICE_SAVINGS_OPTIONS_VERSION=SERVICE_SAVINGS_OPTIONS_VERSION,
                 SCRM_STAFFING_OPTIONS_VERSION=STAFFING_OPTIONS_VERSION)

_NT = SERVICE_MAX_TARGETS


class ServicePtr(HandlePtr):
    _c_name_ = "scrm_service"


class ServiceOptions(Struct):
    _c_name_ = "scrm_service_options"
    _fields_ = [("version", c_uint), ("n_response_targets", c_uint32),
                ("response_targets", c_double * _NT), ("n_resolution_targets", c_uint32),
                ("resolution_targets", c_double * _NT), ("group_by", c_int32),
                ("period", c_int32), ("now", c_int64)]


class CDurations(Struct):
    _c_name_ = "scrm_service_durations"
    _fields_ = [("n", c_uint64), ("mean", c_double), ("min", c_double), ("median", c_double),
                ("p90", c_double), ("p95", c_double), ("max", c_double)]


class CStats(Struct):
    _c_name_ = "scrm_service_stats"
    _fields_ = [("key", c_int64), ("volume", c_uint64), ("responded", c_uint64),
                ("unanswered", c_uint64), ("resolved", c_uint64), ("unresolved", c_uint64),
                ("response_rate", c_double), ("resolution_rate", c_double),
                ("backlog", c_uint64), ("backlog_mean_age", c_double),
                ("backlog_max_age", c_double), ("answer", CDurations),
                ("resolution", CDurations), ("response_sla_met", c_uint64 * _NT),
                ("response_sla", c_double * _NT), ("resolution_sla_met", c_uint64 * _NT),
                ("resolution_sla", c_double * _NT), ("handled", c_uint64),
                ("handle_time_total", c_double), ("handle_time_mean", c_double)]


class CResult(Struct):
    _c_name_ = "scrm_service_result"
    _fields_ = [("overall", CStats), ("now", c_int64), ("n_groups", c_uint64),
                ("group_by", c_int32), ("period", c_int32), ("quantiles_exact", c_int32),
                ("n_response_targets", c_uint32), ("response_targets", c_double * _NT),
                ("n_resolution_targets", c_uint32), ("resolution_targets", c_double * _NT)]


class SavingsOptions(Struct):
    _c_name_ = "scrm_service_savings_options"
    _fields_ = [("version", c_uint), ("cost_phone", c_double), ("cost_email", c_double),
                ("cost_chat", c_double), ("cost_social", c_double), ("mix_phone", c_double),
                ("mix_email", c_double), ("mix_chat", c_double), ("deflection_rate", c_double),
                ("indirect_deflection_rate", c_double), ("agent_hourly_cost", c_double),
                ("social_channels", c_char_p), ("cost_category", c_char_p)]


class CSavingsInputs(Struct):
    _c_name_ = "scrm_service_savings_inputs"
    _fields_ = [("social_contacts", c_double), ("social_answered", c_double),
                ("social_resolved", c_double), ("social_handled", c_double),
                ("social_handle_seconds", c_double), ("program_cost", c_double)]


class CSavingsResult(Struct):
    _c_name_ = "scrm_service_savings_result"
    _fields_ = [("inputs", CSavingsInputs), ("avoided_cost_per_contact", c_double),
                ("deflected_direct", c_double), ("deflected_indirect", c_double),
                ("deflected", c_double), ("avoided_cost", c_double), ("agent_hours", c_double),
                ("agent_cost_measured", c_double), ("agent_cost_estimated", c_double),
                ("agent_cost", c_double), ("cost_per_social_contact", c_double),
                ("gross_savings", c_double), ("program_cost", c_double),
                ("net_savings", c_double)]


class CErlangResult(Struct):
    _c_name_ = "scrm_erlang_result"
    _fields_ = [("offered_load", c_double), ("agents", c_uint32), ("wait_probability", c_double),
                ("log_wait_probability", c_double), ("service_level", c_double),
                ("asa", c_double), ("mean_wait_delayed", c_double), ("occupancy", c_double)]


class StaffingOptions(Struct):
    _c_name_ = "scrm_staffing_options"
    _fields_ = [("version", c_uint), ("max_occupancy", c_double), ("shrinkage", c_double),
                ("max_agents", c_uint32)]


class CStaffingResult(Struct):
    _c_name_ = "scrm_staffing_result"
    _fields_ = [("agents", c_uint32), ("positions", c_uint32), ("occupancy_bound", c_int32),
                ("at", CErlangResult)]


_options_init = _fn("scrm_service_options_init", [POINTER(ServiceOptions), c_uint], c_int,
                    check_status)
_new = _fn("scrm_service_new", [POINTER(ServicePtr), POINTER(ServiceOptions)], c_int,
           check_status)
_free = _fn("scrm_service_free", [ServicePtr], None, None)
_reset = _fn("scrm_service_reset", [ServicePtr], c_int, check_status)
_add = _fn("scrm_service_add",
           [ServicePtr, c_size_t, POINTER(c_int64), POINTER(c_int64), POINTER(c_int64),
            POINTER(c_double), POINTER(c_uint32)], c_int, check_status)
_merge = _fn("scrm_service_merge", [ServicePtr, ServicePtr], c_int, check_status)
_serialize = _fn("scrm_service_serialize",
                 [ServicePtr, POINTER(c_uint8), c_size_t, POINTER(c_size_t)], c_int,
                 check_status)
_deserialize = _fn("scrm_service_deserialize",
                   [POINTER(ServicePtr), POINTER(c_uint8), c_size_t], c_int, check_status)
_finalize = _fn("scrm_service_finalize", [ServicePtr, POINTER(CResult)], c_int, check_status)
_groups = _fn("scrm_service_groups",
              [ServicePtr, POINTER(CStats), c_size_t, POINTER(c_size_t)], c_int, check_status)
_compute = _fn("scrm_service_compute", [ServicePtr, DatasetPtr, POINTER(CResult)], c_int,
               check_status)
_savings_options_init = _fn("scrm_service_savings_options_init",
                            [POINTER(SavingsOptions), c_uint], c_int, check_status)
_savings = _fn("scrm_service_savings",
               [POINTER(CSavingsInputs), POINTER(SavingsOptions), POINTER(CSavingsResult)],
               c_int, check_status)
_savings_compute = _fn("scrm_service_savings_compute",
                       [DatasetPtr, POINTER(SavingsOptions), POINTER(CSavingsResult)], c_int,
                       check_status)
_erlang_b = _fn("scrm_erlang_b", [c_double, c_uint32, POINTER(c_double)], c_int, check_status)
_erlang_c = _fn("scrm_erlang_c", [c_double, c_double, c_uint32, c_double, POINTER(CErlangResult)],
                c_int, check_status)
_staffing_options_init = _fn("scrm_staffing_options_init", [POINTER(StaffingOptions), c_uint],
                             c_int, check_status)
_erlang_staffing = _fn("scrm_erlang_staffing",
                       [c_double, c_double, c_double, c_double, POINTER(StaffingOptions),
                        POINTER(CStaffingResult)], c_int, check_status)


# ---- results ----------------------------------------------------------------


@result
class Durations(Result):
    """Distribution of one duration in seconds (NaN fields when ``n`` is 0)."""

    n: int
    mean: float
    min: float
    median: float
    p90: float
    p95: float
    max: float


@result
class ServiceStats(Result):
    """Service metrics of one group (or all tickets). ``key``: interned string id
    (channel/agent/team; 0 = missing), period start in seconds, or 0. ``label``:
    the key's text or ISO date when known. SLA lists have one entry per target;
    their denominator is ``volume`` (unanswered/unresolved tickets are misses)."""

    key: int
    label: Optional[str]
    volume: int
    responded: int
    unanswered: int
    resolved: int
    unresolved: int
    response_rate: float
    resolution_rate: float
    backlog: int
    backlog_mean_age: float
    backlog_max_age: float
    answer: Durations
    resolution: Durations
    response_sla_met: Tuple[int, ...]
    response_sla: Tuple[float, ...]
    resolution_sla_met: Tuple[int, ...]
    resolution_sla: Tuple[float, ...]
    handled: int
    handle_time_total: float
    handle_time_mean: float


@result
class ServiceResult(Result):
    """Overall result of :meth:`Service.finalize` / :meth:`Service.compute`."""

    overall: ServiceStats
    now: int
    n_groups: int
    group_by: ServiceGroup
    period: int
    quantiles_exact: bool
    response_targets: Tuple[float, ...]
    resolution_targets: Tuple[float, ...]


def _durations(c):
    return from_struct(Durations, c)


def _stats(c, nresp, nres, label=None):
    return ServiceStats(
        key=c.key, label=label, volume=c.volume, responded=c.responded,
        unanswered=c.unanswered, resolved=c.resolved, unresolved=c.unresolved,
        response_rate=c.response_rate, resolution_rate=c.resolution_rate, backlog=c.backlog,
        backlog_mean_age=c.backlog_mean_age, backlog_max_age=c.backlog_max_age,
        answer=_durations(c.answer), resolution=_durations(c.resolution),
        response_sla_met=tuple(c.response_sla_met[:nresp]),
        response_sla=tuple(c.response_sla[:nresp]),
        resolution_sla_met=tuple(c.resolution_sla_met[:nres]),
        resolution_sla=tuple(c.resolution_sla[:nres]),
        handled=c.handled, handle_time_total=c.handle_time_total,
        handle_time_mean=c.handle_time_mean)


def _result(c):
    nresp, nres = c.n_response_targets, c.n_resolution_targets
    return ServiceResult(
        overall=_stats(c.overall, nresp, nres), now=c.now, n_groups=c.n_groups,
        group_by=ServiceGroup(c.group_by), period=c.period,
        quantiles_exact=bool(c.quantiles_exact),
        response_targets=tuple(c.response_targets[:nresp]),
        resolution_targets=tuple(c.resolution_targets[:nres]))


# ---- inputs -------------------------------------------------------------------


def _invalid(message):
    return error_for(SCRM_EINVAL, message)


def _group_by(value):
    if isinstance(value, str):
        try:
            return ServiceGroup[value.strip().upper()]
        except KeyError:
            raise _invalid(f"unknown group_by {value!r}; one of "
                           f"{', '.join(g.name.lower() for g in ServiceGroup)}") from None
    return ServiceGroup(operator.index(value))


def _period_value(value):
    if isinstance(value, str):
        try:
            return Period[value.strip().upper()].value
        except KeyError:
            raise _invalid(f"unknown period {value!r}") from None
    return operator.index(value)


def _times(values, what):
    """int64 seconds (TIME_NONE for missing) as a C array."""
    if np is not None and isinstance(values, np.ndarray):
        if values.dtype.kind == "M":
            values = values.astype("datetime64[s]").view("int64")  # NaT is TIME_NONE
        if values.dtype.kind in "iu":
            return as_input(values, c_int64, what)
        values = values.tolist()
    elif hasattr(values, "__array__") and np is not None and not isinstance(values, (list, tuple)):
        return _times(np.asarray(values), what)
    out = []
    for i, v in enumerate(values):
        if v is None or (isinstance(v, float) and math.isnan(v)) or \
                (np is not None and isinstance(v, np.datetime64) and np.isnat(v)):
            out.append(TIME_NONE)
        elif isinstance(v, float) and v.is_integer():
            out.append(int(v))
        else:
            try:
                out.append(to_seconds(v))
            except (TypeError, ValueError) as exc:
                raise TypeError(f"{what}[{i}]: expected a time, got {v!r}") from exc
    return as_input(out, c_int64, what)


def _numbers(values, what):
    if np is None or not isinstance(values, np.ndarray):
        values = [math.nan if v is None else v for v in values]
    return as_input(values, c_double, what)


def _targets(values, what):
    values = [float(v) for v in values]
    if len(values) > SERVICE_MAX_TARGETS:
        raise _invalid(f"{what}: at most {SERVICE_MAX_TARGETS} targets, got {len(values)}")
    return values


# ---- the calculator ---------------------------------------------------------


class Service(Accumulator):
    """Service-ticket metrics: a calculator and mergeable accumulator.

    Args:
        response_targets: first-response SLA targets in seconds (up to 4;
            default ``(3600,)``).
        resolution_targets: resolution SLA targets in seconds (up to 4;
            default ``(86400,)``).
        group_by: ``"none"``, ``"channel"``, ``"agent"``, ``"team"`` or
            ``"period"`` (or :class:`ServiceGroup`).
        period: calendar period for ``group_by="period"`` (``"day"``, ``"week"``,
            ``"month"``, ``"quarter"``, ``"year"``).
        now: time the backlog is measured at; ``None`` = end of data.
    """

    _free_ = _free
    _ptr_type_ = ServicePtr
    _merge_ = _merge
    _serialize_ = _serialize
    _deserialize_ = _deserialize

    def __init__(self, response_targets=None, resolution_targets=None, group_by="none",
                 period="month", now=None):
        opts = make_options(ServiceOptions, _options_init, SERVICE_OPTIONS_VERSION, {})
        if response_targets is not None:
            t = _targets(response_targets, "response_targets")
            opts.n_response_targets = len(t)
            for k, v in enumerate(t):
                opts.response_targets[k] = v
        if resolution_targets is not None:
            t = _targets(resolution_targets, "resolution_targets")
            opts.n_resolution_targets = len(t)
            for k, v in enumerate(t):
                opts.resolution_targets[k] = v
        set_field(opts, "group_by", int(_group_by(group_by)))
        set_field(opts, "period", _period_value(period))
        set_field(opts, "now", TIME_NONE if now is None else to_seconds(now))
        ptr = ServicePtr()
        _new(byref(ptr), byref(opts))
        super().__init__(ptr)
        self._group_by = ServiceGroup(opts.group_by)
        self._nt = (opts.n_response_targets, opts.n_resolution_targets)
        self._dataset = None

    def _restored(self):
        res = CResult()
        try:  # the header tells the options (also filled when the state is empty)
            _finalize(self._ptr, byref(res))
        except NoDataError:
            pass
        self._group_by = ServiceGroup(res.group_by)
        self._nt = (res.n_response_targets, res.n_resolution_targets)
        self._dataset = None

    @property
    def group_by(self):
        return self._group_by

    def add(self, created, first_response=None, resolved=None, handle_time=None, keys=None):
        """Add tickets from columns (equal lengths). ``keys``: interned string ids of
        the grouping column (needed for channel/agent/team grouping)."""
        c = _times(created, "created")
        n = c.n
        cols = [c]
        f = _times(first_response, "first_response") if first_response is not None else None
        r = _times(resolved, "resolved") if resolved is not None else None
        h = _numbers(handle_time, "handle_time") if handle_time is not None else None
        k = as_input(keys, c_uint32, "keys") if keys is not None else None
        for name, arr in (("first_response", f), ("resolved", r), ("handle_time", h),
                          ("keys", k)):
            if arr is not None and arr.n != n:
                raise _invalid(f"{name} has {arr.n} values, created has {n}")
            cols.append(arr)
        with self._mutating() as ptr:
            _add(ptr, n, c.ptr, f.ptr if f else None, r.ptr if r else None,
                 h.ptr if h else None, k.ptr if k else None)
        self._dataset = None

    def _merged(self):
        self._dataset = None

    def reset(self):
        """Forget all tickets (options stay)."""
        with self._mutating() as h:
            _reset(h)
        self._dataset = None

    def finalize(self):
        """Overall metrics (:class:`ServiceResult`); NoDataError when empty."""
        out = CResult()
        with self._locked() as h:
            _finalize(h, byref(out))
        return _result(out)

    def compute(self, dataset):
        """Reset, add the dataset's tickets table, finalize; exact quantiles."""
        if not isinstance(dataset, Dataset):
            raise TypeError(f"expected a Dataset, got {type(dataset).__name__}")
        out = CResult()
        with self._mutating() as h, dataset._locked() as d:
            try:
                _compute(h, d, byref(out))
            finally:
                self._dataset = None
        self._dataset = dataset  # group labels resolve through it
        return _result(out)

    def groups(self, dataset=None):
        """Per-group metrics ordered by key, as :class:`ServiceStats` with ``label``
        set from ``dataset`` (or the one given to :meth:`compute`) for string
        groups, and to the ISO date for periods."""
        cap = 64
        with self._locked() as h:
            for _ in range(3):
                buf = (CStats * max(cap, 1))()
                n = c_size_t(0)
                try:
                    _groups(h, buf, cap, byref(n))
                    break
                except BufferTooSmallError:
                    if n.value <= cap:
                        raise
                    cap = n.value
        nresp, nres = self._nt
        ds = dataset if dataset is not None else self._dataset
        out = []
        for i in range(n.value):
            c = buf[i]
            out.append(_stats(c, nresp, nres, self._label(c.key, ds)))
        return out

    def _label(self, key, ds):
        if self._group_by == ServiceGroup.PERIOD:
            from .times import time_format
            return time_format(key)[:10]
        if self._group_by == ServiceGroup.NONE:
            return None
        if ds is None or ds.closed:
            return None
        try:
            return ds.string(key)
        except Exception:
            return None


# ---- cost savings -------------------------------------------------------------


@result
class SavingsInputs(Result):
    """Volumes the savings are computed from."""

    social_contacts: float
    social_answered: float
    social_resolved: float
    social_handled: float
    social_handle_seconds: float
    program_cost: float


@result
class SavingsResult(Result):
    """Every component of the savings model (see ``scrm_service_savings_result``)."""

    inputs: SavingsInputs
    avoided_cost_per_contact: float
    deflected_direct: float
    deflected_indirect: float
    deflected: float
    avoided_cost: float
    agent_hours: float
    agent_cost_measured: float
    agent_cost_estimated: float
    agent_cost: float
    cost_per_social_contact: float
    gross_savings: float
    program_cost: float
    net_savings: float


def _savings_options(options):
    strings = {}
    for key in ("social_channels", "cost_category"):
        if key in options:
            value = options.pop(key)
            if value is not None and not isinstance(value, (str, bytes)):
                value = ",".join(value)  # a list of names
            strings[key] = value.encode("utf-8") if isinstance(value, str) else value
    opts = make_options(SavingsOptions, _savings_options_init, SERVICE_SAVINGS_OPTIONS_VERSION,
                        options)
    for key, value in strings.items():
        setattr(opts, key, value)
    return opts, strings  # keep the encoded strings alive for the call


def _savings_result(c):
    return SavingsResult(inputs=from_struct(SavingsInputs, c.inputs),
                         **{name: getattr(c, name) for name, _ in CSavingsResult._fields_
                            if name != "inputs"})


def savings(social_contacts, social_answered, social_resolved, social_handled=0.0,
            social_handle_seconds=0.0, program_cost=0.0, **options):
    """Cost savings from volumes; options as ``scrm_service_savings_options``
    (``cost_phone``, ``mix_phone``, ``deflection_rate``, ``agent_hourly_cost``, ...)."""
    opts, keep = _savings_options(dict(options))
    inputs = CSavingsInputs(float(social_contacts), float(social_answered),
                            float(social_resolved), float(social_handled),
                            float(social_handle_seconds), float(program_cost))
    out = CSavingsResult()
    _savings(byref(inputs), byref(opts), byref(out))
    del keep
    return _savings_result(out)


def savings_compute(dataset, **options):
    """Cost savings from a dataset's tickets and costs tables. Extra options:
    ``social_channels`` (names, comma-separated or a list) and ``cost_category``."""
    if not isinstance(dataset, Dataset):
        raise TypeError(f"expected a Dataset, got {type(dataset).__name__}")
    opts, keep = _savings_options(dict(options))
    out = CSavingsResult()
    with dataset._locked() as d:
        _savings_compute(d, byref(opts), byref(out))
    del keep
    return _savings_result(out)


# ---- Erlang -------------------------------------------------------------------


@result
class ErlangResult(Result):
    """Erlang C performance of ``agents`` agents (times in the caller's unit)."""

    offered_load: float
    agents: int
    wait_probability: float
    log_wait_probability: float
    service_level: float
    asa: float
    mean_wait_delayed: float
    occupancy: float


@result
class StaffingResult(Result):
    """Fewest agents meeting the target, positions after shrinkage, performance."""

    agents: int
    positions: int
    occupancy_bound: bool
    at: ErlangResult


def erlang_b(traffic, agents):
    """Erlang B blocking probability of ``agents`` servers offered ``traffic`` Erlangs."""
    out = c_double()
    _erlang_b(float(traffic), operator.index(agents), byref(out))
    return out.value


def erlang_c(arrival_rate, aht, agents, target_time=0.0):
    """Erlang C performance (:class:`ErlangResult`); DomainError when unstable."""
    out = CErlangResult()
    _erlang_c(float(arrival_rate), float(aht), operator.index(agents), float(target_time),
              byref(out))
    return from_struct(ErlangResult, out)


def erlang_staffing(arrival_rate, aht, target_time, service_level, **options):
    """Fewest agents with P(answer within ``target_time``) >= ``service_level``.
    Options: ``max_occupancy``, ``shrinkage``, ``max_agents``."""
    opts = make_options(StaffingOptions, _staffing_options_init, STAFFING_OPTIONS_VERSION,
                        options)
    out = CStaffingResult()
    _erlang_staffing(float(arrival_rate), float(aht), float(target_time), float(service_level),
                     byref(opts), byref(out))
    return StaffingResult(agents=out.agents, positions=out.positions,
                          occupancy_bound=bool(out.occupancy_bound),
                          at=from_struct(ErlangResult, out.at))
