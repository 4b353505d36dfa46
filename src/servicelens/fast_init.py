"""A cheaper `__init__` for frozen, slotted dataclasses that are built by the million.

`@dataclass(frozen=True)` generates an `__init__` that stores each field through
`object.__setattr__` looked up by name on every call (frozen classes refuse `self.x = ...`).
Lowering builds every IR node this way and the taint engine builds its values and origins
this way, so the lookups add up: on a 260k-line project about a million constructor calls.
Storing through each slot's own descriptor (`Cls.field.__set__`, bound once when the class is
made) does the same thing at about 60% of the cost. Everything else stays the dataclass's own:
fields, defaults, equality, hashing, repr, pickling, `dataclasses.replace`, and assigning to a
field after construction still raises `FrozenInstanceError`.
"""
from __future__ import annotations

from dataclasses import MISSING, fields, is_dataclass
from typing import TypeVar

C = TypeVar("C", bound=type)


def fast_frozen_init(cls: C) -> C:
    """Replace `cls.__init__` (a frozen, slotted dataclass without `__post_init__`, default
    factories or init-less fields) with one that sets the slots directly."""
    params = _dataclass_params(cls)
    if not (is_dataclass(cls) and params.frozen and "__slots__" in cls.__dict__):
        raise TypeError(f"{cls.__name__}: fast_frozen_init needs a frozen, slotted dataclass")
    if hasattr(cls, "__post_init__"):
        raise TypeError(f"{cls.__name__}: fast_frozen_init does not call __post_init__")
    names: list[str] = []
    signature: list[str] = []
    closure: dict[str, object] = {}
    for f in fields(cls):
        if not f.init or f.kw_only or f.default_factory is not MISSING:
            raise TypeError(f"{cls.__name__}.{f.name}: fast_frozen_init handles plain fields and constant defaults")
        names.append(f.name)
        closure[f"_set_{f.name}"] = cls.__dict__[f.name].__set__
        if f.default is MISSING:
            signature.append(f.name)
        else:
            closure[f"_default_{f.name}"] = f.default
            signature.append(f"{f.name}=_default_{f.name}")
    body = "".join(f"        _set_{name}(self, {name})\n" for name in names) or "        pass\n"
    source = (f"def _make({', '.join(closure)}):\n"
              f"    def __init__(self, {', '.join(signature)}):\n{body}"
              f"    return __init__\n")
    namespace: dict[str, object] = {}
    exec(source, {}, namespace)  # noqa: S102 - source built above from the class's own field names
    init = namespace["_make"](**closure)  # type: ignore[operator]
    init.__qualname__ = f"{cls.__qualname__}.__init__"
    init.__module__ = cls.__module__
    init.__doc__ = cls.__init__.__doc__
    cls.__init__ = init  # type: ignore[misc]
    return cls


def _dataclass_params(cls: type) -> object:
    params = getattr(cls, "__dataclass_params__", None)
    if params is None:
        raise TypeError(f"{cls.__name__}: fast_frozen_init needs a dataclass")
    return params
