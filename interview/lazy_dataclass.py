"""`dataclass` for the classes loaded before the app's first prompt: the same classes, cheaper
to define.

Python 3.11's `dataclasses.dataclass` writes each class's __init__, __repr__, __eq__,
__hash__, __setattr__ and __delattr__ as source text and compiles each one with `exec`: about
0.6 ms a class. Some 30 of ours are defined before the app's first prompt (the content model,
the record, the translations, the session's events), and most of them make no instance before
it: the content comes from its cache by unpickling, which calls no __init__. Together that was
the largest part of the app's own start-up (scripts/bench.py `tui_ratio`).

A class made here is still a dataclass (`dataclasses.fields`, `replace`, `asdict` and
`is_dataclass` work on it), made by `dataclasses.dataclass` itself with its __init__, __repr__
and __eq__ left out; then
- __repr__, __eq__, __hash__ (and a frozen class's __setattr__ and __delattr__) are functions
  over the class's field names, made without compiling anything, with dataclasses' results:
  the same text, the same equality and hash, the same FrozenInstanceError;
- __init__ is compiled when the class makes its first instance (one `exec`, the same
  parameters and defaults as dataclasses would give it, then __post_init__);
- a frozen class with slots pickles as dataclasses' does (__getstate__ and __setstate__).
Only what those classes use is supported: `frozen`, `slots` and `field()` with a default or a
default factory, `repr`, `compare` and `hash`; anything else is refused where the class is
defined. `__dataclass_params__` says init, repr and eq are off (dataclasses did not make them).
Python 3.13's dataclasses compile a class's methods in one `exec`: on it this may go.
"""

from __future__ import annotations

import dataclasses
from operator import attrgetter
from reprlib import recursive_repr

_FACTORY = object()  # an __init__ parameter's default when its field has a default factory
_set = object.__setattr__


def dataclass(cls=None, /, *, frozen: bool = False, slots: bool = False):
    """`dataclasses.dataclass(cls, frozen=..., slots=...)`, with the methods made as the module
    docstring says."""
    if cls is None:
        return lambda cls: _make(cls, frozen, slots)
    return _make(cls, frozen, slots)


def _make(cls, frozen: bool, slots: bool):
    for name in ("__init__", "__repr__", "__eq__", "__hash__", "__setattr__", "__delattr__"):
        if name in cls.__dict__ and not (name == "__hash__" and cls.__dict__[name] is None):
            raise TypeError(f"{cls.__qualname__} defines {name}: use dataclasses.dataclass")
    if not cls.__doc__:  # (dataclasses would work one out from __init__'s signature)
        cls.__doc__ = f"{cls.__name__}({', '.join(cls.__dict__.get('__annotations__', ()))})"
    cls = dataclasses.dataclass(cls, init=False, repr=False, eq=False, slots=slots)
    fields = dataclasses.fields(cls)
    defaulted = False
    for f in fields:
        if not f.init or f.kw_only or f.metadata:
            raise TypeError(f"{cls.__qualname__}.{f.name}: init=False, kw_only and metadata "
                            "are not supported here; use dataclasses.dataclass")
        if f.default is not dataclasses.MISSING or f.default_factory is not dataclasses.MISSING:
            defaulted = True
        elif defaulted:
            raise TypeError(f"non-default argument {f.name!r} follows default argument")
    names = tuple(f.name for f in fields)
    cls.__init__ = _lazy_init(cls, fields, frozen)
    cls.__repr__ = _repr(cls, tuple(f.name for f in fields if f.repr))
    compared = _values(tuple(f.name for f in fields if f.compare))
    cls.__eq__ = _eq(cls, compared)
    if frozen:
        hashed = tuple(f.name for f in fields if (f.compare if f.hash is None else f.hash))
        cls.__hash__ = _hash(cls, _values(hashed))
        cls.__setattr__, cls.__delattr__ = _frozen(cls, frozenset(names))
        if slots:
            cls.__getstate__, cls.__setstate__ = _state(cls, names)
    else:
        cls.__hash__ = None  # mutable and compared by value: unhashable, as dataclasses makes it
    return cls


def _values(names: tuple[str, ...]):
    """A function giving the tuple of these attributes of an object."""
    if len(names) > 1:
        return attrgetter(*names)
    if names:
        get = attrgetter(names[0])
        return lambda obj: (get(obj),)
    return lambda obj: ()


def _named(cls, function, name: str):
    function.__name__ = name
    function.__qualname__ = f"{cls.__qualname__}.{name}"
    function.__module__ = cls.__module__
    return function


def _lazy_init(cls, fields, frozen: bool):
    def __init__(self, *args, **kwargs):
        init = _compile_init(cls, fields, frozen)
        cls.__init__ = init
        init(self, *args, **kwargs)

    return _named(cls, __init__, "__init__")


def _compile_init(cls, fields, frozen: bool):
    """The __init__ dataclasses would write: each field's parameter, with its default (a
    default factory is called when the parameter is left out), then __post_init__."""
    scope = {"__name__": cls.__module__, "_set": _set, "_FACTORY": _FACTORY}
    self = "__dataclass_self__" if any(f.name == "self" for f in fields) else "self"
    params, body = [], []
    for f in fields:
        name = f.name
        value = name
        if f.default is not dataclasses.MISSING:
            scope[f"_default_{name}"] = f.default
            params.append(f"{name}=_default_{name}")
        elif f.default_factory is not dataclasses.MISSING:
            scope[f"_factory_{name}"] = f.default_factory
            params.append(f"{name}=_FACTORY")
            value = f"_factory_{name}() if {name} is _FACTORY else {name}"
        else:
            params.append(name)
        body.append(f"_set({self}, {name!r}, {value})" if frozen else f"{self}.{name} = {value}")
    if hasattr(cls, "__post_init__"):
        body.append(f"{self}.__post_init__()")
    source = (f"def __init__({', '.join([self, *params])}):\n    "
              + "\n    ".join(body or ["pass"]))
    exec(source, scope)  # noqa: S102 - our own field names and defaults, as dataclasses does
    return _named(cls, scope["__init__"], "__init__")


def _repr(cls, names: tuple[str, ...]):
    @recursive_repr()
    def __repr__(self):
        return (f"{self.__class__.__qualname__}("
                + ", ".join(f"{name}={getattr(self, name)!r}" for name in names) + ")")

    return _named(cls, __repr__, "__repr__")


def _eq(cls, values):
    def __eq__(self, other):
        if other.__class__ is self.__class__:
            return values(self) == values(other)
        return NotImplemented

    return _named(cls, __eq__, "__eq__")


def _hash(cls, values):
    def __hash__(self):
        return hash(values(self))

    return _named(cls, __hash__, "__hash__")


def _frozen(cls, names: frozenset[str]):
    def __setattr__(self, name, value):
        if type(self) is cls or name in names:
            raise dataclasses.FrozenInstanceError(f"cannot assign to field {name!r}")
        super(cls, self).__setattr__(name, value)

    def __delattr__(self, name):
        if type(self) is cls or name in names:
            raise dataclasses.FrozenInstanceError(f"cannot delete field {name!r}")
        super(cls, self).__delattr__(name)

    return _named(cls, __setattr__, "__setattr__"), _named(cls, __delattr__, "__delattr__")


def _state(cls, names: tuple[str, ...]):
    values = _values(names)

    def __getstate__(self):
        return values(self)

    def __setstate__(self, state):
        for name, value in zip(names, state):
            _set(self, name, value)

    return _named(cls, __getstate__, "__getstate__"), _named(cls, __setstate__, "__setstate__")
