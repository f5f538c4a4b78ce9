"""Results are frozen dataclasses with a readable repr: every field by name, long
arrays summarised, no ctypes objects or addresses."""
import dataclasses

import pytest

from scrm._structs import Result, _short

from conftest import import_all_modules


def all_result_classes():
    import_all_modules()
    seen, todo = [], list(Result.__subclasses__())
    while todo:
        cls = todo.pop()
        seen.append(cls)
        todo.extend(cls.__subclasses__())
    return seen


def test_every_result_is_a_frozen_dataclass_with_a_readable_repr():
    classes = all_result_classes()
    assert len(classes) > 20
    for cls in classes:
        assert dataclasses.is_dataclass(cls), cls
        fields = dataclasses.fields(cls)
        obj = cls(**{f.name: 1.5 for f in fields})
        text = repr(obj)
        assert text.startswith(f"{cls.__name__}("), text
        for f in fields:
            if f.repr:
                assert f"{f.name}=1.5" in text, (cls, f.name, text)
        assert "object at 0x" not in text and "ctypes" not in text
        if fields:
            with pytest.raises(dataclasses.FrozenInstanceError):
                setattr(obj, fields[0].name, 2.0)
        assert obj == cls(**{f.name: 1.5 for f in fields})
        assert set(obj.as_dict()) == {f.name for f in fields}


def test_long_values_are_summarised():
    assert _short(list(range(100))) == "[0, 1, 2, ... (100 items)]"
    assert _short(0.1 + 0.2) == "0.3"
    assert _short(float("inf")) == "inf"
    np = pytest.importorskip("numpy")
    assert _short(np.zeros(1000)) == "array(shape=(1000,), dtype=float64)"


def test_real_results_read_well():
    from scrm.nps import Nps
    with Nps() as n:
        n.add([10, 10, 9, 7, 3])
        r = n.finalize()
    text = repr(r)
    assert text.startswith("NpsResult(") and "nps=" in text and "n=5" in text
    assert len(text) < 600 and "\n" not in text
