"""Records: ``@record`` makes a class of named values, as ``@dataclass(frozen=True)`` does, at a fraction of the cost.

``shlint check`` on one small file is mostly start-up, and start-up made about 80 classes with :mod:`dataclasses`:
importing it loads :mod:`inspect` (about 5 ms), and each class then compiles six or more functions from
generated source (``__init__``, ``__repr__``, ``__eq__``, ``__hash__``, ``__setattr__``, ``__delattr__``; about
0.6 ms a class, half of start-up in all). Here ``__repr__``, ``__setattr__`` and ``__delattr__`` are written once,
below, and read the class's fields from tables made with the class. ``__init__``, ``__eq__``, ``__hash__`` and
the order run generically for a class's first calls and are then compiled for its fields (see
:data:`COMPILE_AFTER`): making a class costs about 30 µs, a class a run makes few instances of never compiles
anything, and the model's values, made a million times on a large corpus, are made, compared and hashed as fast
as dataclasses (``bench/records.py``).

What it supports is what shlint uses: defaults, :func:`field` with ``default_factory``, ``compare``, ``repr``
and ``init``; ``__post_init__``; ``frozen`` (the default), ``eq``, ``order`` and ``slots``; a record deriving from
a record (the base's fields first). :func:`replace` and :func:`fields` stand in for their :mod:`dataclasses`
namesakes. Instances pickle as dataclasses do (``--jobs`` workers send findings back that way).
Annotations are read as written (every module has ``from __future__ import annotations``); ``ClassVar`` ones
are not fields.
"""

from __future__ import annotations

TYPE_CHECKING = False  # as typing.TYPE_CHECKING, without importing typing (~2 ms of start-up)
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any, TypeVar, dataclass_transform

    T = TypeVar("T")
else:

    def dataclass_transform(**_options):  # type checkers read the real one; at run time it marks nothing
        return lambda decorator: decorator


class FrozenInstanceError(AttributeError):
    """An attempt to set or delete a field of a frozen record."""


class _Missing:
    def __repr__(self) -> str:
        return "MISSING"


MISSING: Any = _Missing()


class Field:
    """One field of a record: its name, default and roles (as :class:`dataclasses.Field`)."""

    __slots__ = ("compare", "default", "default_factory", "init", "name", "repr")

    def __init__(self, default: Any, default_factory: Any, init: bool, repr: bool, compare: bool) -> None:
        if default is not MISSING and default_factory is not MISSING:
            raise ValueError("cannot specify both default and default_factory")
        self.name = ""
        self.default = default
        self.default_factory = default_factory
        self.init = init
        self.repr = repr
        self.compare = compare

    def __repr__(self) -> str:
        return (
            f"Field(name={self.name!r}, default={self.default!r}, default_factory={self.default_factory!r})"
        )


def field(
    *,
    default: Any = MISSING,
    default_factory: Callable[[], Any] | Any = MISSING,
    init: bool = True,
    repr: bool = True,
    compare: bool = True,
) -> Any:
    """A field with a default, a factory of defaults, or left out of ``__init__``, ``repr`` or comparisons."""
    return Field(default, default_factory, init, repr, compare)


# Methods shared by every record: they read the class's fields from the table :func:`record` puts on it.


def _repr(self: Any) -> str:
    shown = ", ".join(f"{name}={getattr(self, name)!r}" for name in self.__record_repr__)
    return f"{self.__class__.__qualname__}({shown})"


def _frozen_setattr(self: Any, name: str, value: object) -> None:
    raise FrozenInstanceError(f"cannot assign to field {name!r}")


def _frozen_delattr(self: Any, name: str) -> None:
    raise FrozenInstanceError(f"cannot delete field {name!r}")


def _slots_getstate(self: Any) -> tuple[Any, ...]:
    return tuple(getattr(self, name) for name in self.__slots__)


def _slots_setstate(self: Any, state: tuple[Any, ...]) -> None:
    for name, value in zip(self.__slots__, state, strict=True):
        object.__setattr__(self, name, value)


_CLASS_VAR = ("ClassVar", "typing.ClassVar", "t.ClassVar")


def _own_fields(cls: type) -> list[Field]:
    """The fields ``cls`` declares; a ``field(...)`` class attribute becomes its default (or goes)."""
    found = []
    namespace = cls.__dict__
    # A class's own annotations (Python 3.10 on: never its bases'; 3.14 on: made when first asked for).
    for name, annotation in cls.__annotations__.items():
        if (annotation if isinstance(annotation, str) else repr(annotation)).startswith(_CLASS_VAR):
            continue
        value = namespace.get(name, MISSING)
        if isinstance(value, Field):
            spec = value
            if value.default is MISSING:
                delattr(cls, name)
            else:
                setattr(cls, name, value.default)
        else:
            spec = Field(value, MISSING, True, True, True)
        spec.name = name
        found.append(spec)
    return found


def _all_fields(cls: type) -> tuple[Field, ...]:
    """The fields of ``cls``: its record bases' first, then its own."""
    by_name: dict[str, Field] = {}
    for base in reversed(cls.__mro__[1:-1]):  # not cls itself, not object
        for spec in base.__dict__.get("__record_fields__", ()):
            by_name[spec.name] = spec
    for spec in _own_fields(cls):
        by_name[spec.name] = spec
    return tuple(by_name.values())


def _check_defaults(cls: type, specs: tuple[Field, ...]) -> None:
    defaulted = False
    for spec in specs:
        if not spec.init:
            continue
        has_default = spec.default is not MISSING or spec.default_factory is not MISSING
        if defaulted and not has_default:
            raise TypeError(
                f"{cls.__qualname__}: non-default argument {spec.name!r} follows default argument"
            )
        defaulted = defaulted or has_default


def _init_lines(specs: tuple[Field, ...], names: dict[str, Any]) -> tuple[list[str], list[str]]:
    """The parameters and statements of ``__init__``; the defaults and factories they read go into ``names``."""
    parameters = ["self"]
    body = []
    for spec in specs:
        if spec.default is not MISSING:
            names[f"_r_default_{spec.name}"] = spec.default
        if spec.default_factory is not MISSING:
            names[f"_r_factory_{spec.name}"] = spec.default_factory
        if spec.init:
            if spec.default_factory is not MISSING:
                parameters.append(f"{spec.name}=_r_MISSING")
                value = f"_r_factory_{spec.name}() if {spec.name} is _r_MISSING else {spec.name}"
            elif spec.default is not MISSING:
                parameters.append(f"{spec.name}=_r_default_{spec.name}")
                value = spec.name
            else:
                parameters.append(spec.name)
                value = spec.name
        elif spec.default_factory is not MISSING:
            value = f"_r_factory_{spec.name}()"
        elif spec.default is not MISSING:
            value = f"_r_default_{spec.name}"
        else:
            continue
        # object.__setattr__ as dataclasses: the values stay in the instance's compact layout (CPython 3.11+),
        # where reading an attribute is fastest; writing self.__dict__ would turn it into a plain dict.
        body.append(f"_r_setattr(self, {spec.name!r}, {value})")
    return parameters, body


def _methods_source(
    cls: type, specs: tuple[Field, ...], stubs: tuple[str, ...]
) -> tuple[str, dict[str, Any]]:
    """The text of the methods ``stubs`` of ``cls`` and the names it reads (defaults, factories)."""
    names: dict[str, Any] = {"_r_MISSING": MISSING, "_r_setattr": object.__setattr__}
    compared = [spec.name for spec in specs if spec.compare]
    own = "".join(f"self.{name}," for name in compared)
    others = "".join(f"other.{name}," for name in compared)
    texts = []
    for name in stubs:
        if name == "__init__":
            parameters, body = _init_lines(specs, names)
            if hasattr(cls, "__post_init__"):
                body.append("self.__post_init__()")
            lines = "\n    ".join(body or ["pass"])
            texts.append(f"def __init__({', '.join(parameters)}):\n    {lines}\n")
        elif name == "__hash__":
            texts.append(f"def __hash__(self):\n    return hash(({own}))\n")
        else:
            operator = _COMPARISONS[name]
            texts.append(
                f"def {name}(self, other):\n"
                "    if other.__class__ is self.__class__:\n"
                f"        return ({own}) {operator} ({others})\n"
                "    return NotImplemented\n"
            )
    return "".join(texts), names


_COMPARISONS = {"__eq__": "==", "__lt__": "<", "__le__": "<=", "__gt__": ">", "__ge__": ">="}


# A method runs generically (reading the field tables) for its class's first calls, then is compiled for the
# class's fields and replaces itself. Compiling costs about 25-130 µs a method, as much as 20-60 generic calls:
# the classes start-up makes a few instances of (the settings) never pay for it, and a hot class (a policy's
# items, made a million times on a large corpus) pays once and then runs as fast as a dataclass. A table written
# in the code (the command-line options, the catalogue, the rules: a few dozen rows each, made at start-up) says
# ``@record(compile_after=...)``: past 32 rows it would pay 0.2-0.5 ms for the compiled method of a class with
# many fields, more than the generic calls of its remaining rows cost.
COMPILE_AFTER = 32
TABLE_COMPILE_AFTER = 256  # compile_after of a table written in the code


def _generic_init(cls: type, self: Any, *args: Any, **kwargs: Any) -> None:
    names = cls.__match_args__  # type: ignore[attr-defined]
    if len(args) > len(names):
        raise TypeError(
            f"{cls.__qualname__}() takes {len(names)} positional arguments but {len(args)} were given"
        )
    values = dict(zip(names, args, strict=False))
    for name, value in kwargs.items():
        if name not in names or name in values:
            problem = "got multiple values for" if name in values else "got an unexpected keyword"
            raise TypeError(f"{cls.__qualname__}() {problem} argument {name!r}")
        values[name] = value
    for spec in cls.__record_fields__:  # type: ignore[attr-defined]
        if spec.init and spec.name in values:
            value = values[spec.name]
        elif spec.default_factory is not MISSING:
            value = spec.default_factory()
        elif spec.default is not MISSING:
            value = spec.default
        elif spec.init:
            raise TypeError(f"{cls.__qualname__}() missing a required argument: {spec.name!r}")
        else:
            continue
        object.__setattr__(self, spec.name, value)
    if hasattr(cls, "__post_init__"):
        self.__post_init__()


def _key(cls: type, instance: Any) -> tuple[Any, ...]:
    return tuple([getattr(instance, name) for name in cls.__record_compared__])  # type: ignore[attr-defined]


def _generic_hash(cls: type, self: Any) -> int:
    return hash(_key(cls, self))  # the compiled __hash__ hashes the same tuple: a hash never changes


def _generic_comparison(name: str) -> Callable[[type, Any, Any], Any]:
    operator = _OPERATORS[name]

    def compare(cls: type, self: Any, other: Any) -> Any:
        if other.__class__ is self.__class__:
            return operator(_key(cls, self), _key(cls, other))
        return NotImplemented

    return compare


_OPERATORS: dict[str, Callable[[Any, Any], Any]] = {
    "__eq__": lambda a, b: a == b,
    "__lt__": lambda a, b: a < b,
    "__le__": lambda a, b: a <= b,
    "__gt__": lambda a, b: a > b,
    "__ge__": lambda a, b: a >= b,
}
_GENERIC: dict[str, Callable[..., Any]] = {
    "__init__": _generic_init,
    "__hash__": _generic_hash,
    **{name: _generic_comparison(name) for name in _OPERATORS},
}


def _compiled(cls: type, name: str) -> Callable[..., Any]:
    """The method ``name`` of ``cls``, compiled for its fields."""
    source, names = _methods_source(cls, cls.__record_fields__, (name,))  # type: ignore[attr-defined]
    exec(source, names)
    method: Callable[..., Any] = names[name]
    method.__qualname__ = f"{cls.__qualname__}.{name}"
    return method


def _stub(cls: type, name: str, compile_after: int) -> Callable[..., Any]:
    """The method ``name`` of ``cls``: generic for the first ``compile_after`` calls, then compiled."""
    generic = _GENERIC[name]
    calls = 0

    def stub(self: Any, *args: Any, **kwargs: Any) -> Any:
        nonlocal calls
        calls += 1
        if calls <= compile_after:
            return generic(cls, self, *args, **kwargs)
        method = _compiled(cls, name)
        type.__setattr__(cls, name, method)
        return method(self, *args, **kwargs)

    return stub


def _put(cls: type, name: str, value: object) -> None:
    """Give ``cls`` a method, unless its body defines one (as dataclasses)."""
    if name not in cls.__dict__:
        type.__setattr__(cls, name, value)


def _with_slots(cls: type, specs: tuple[Field, ...]) -> type:
    names = tuple(spec.name for spec in specs)
    namespace = {
        key: value for key, value in cls.__dict__.items() if key not in (*names, "__dict__", "__weakref__")
    }
    namespace["__slots__"] = names
    return type(cls)(cls.__name__, cls.__bases__, namespace)


@dataclass_transform(frozen_default=True, field_specifiers=(field,))
def record(
    cls: type[T] | None = None,
    /,
    *,
    frozen: bool = True,
    eq: bool = True,
    order: bool = False,
    slots: bool = False,
    compile_after: int = COMPILE_AFTER,
) -> Any:
    """Make ``cls`` a record (as ``@dataclass(frozen=True)``); ``@record(order=True)`` etc. for the options.

    ``compile_after``: the calls of a method that run generically before it is compiled (see :data:`COMPILE_AFTER`).
    """

    def make(cls: type[T]) -> type[T]:
        specs = _all_fields(cls)
        _check_defaults(cls, specs)
        if slots:
            cls = _with_slots(cls, specs)
        cls.__record_fields__ = specs  # type: ignore[attr-defined]
        cls.__record_repr__ = tuple(spec.name for spec in specs if spec.repr)  # type: ignore[attr-defined]
        cls.__match_args__ = tuple(spec.name for spec in specs if spec.init)  # type: ignore[attr-defined]
        cls.__record_compared__ = tuple(spec.name for spec in specs if spec.compare)  # type: ignore[attr-defined]
        _put(cls, "__repr__", _repr)
        compiled = ["__init__"]
        if eq:
            explicit_hash = "__hash__" in cls.__dict__ and not (
                cls.__dict__["__hash__"] is None and "__eq__" in cls.__dict__
            )
            compiled.append("__eq__")
            if frozen and not explicit_hash:
                type.__setattr__(cls, "__hash__", _stub(cls, "__hash__", compile_after))
            elif not explicit_hash:
                type.__setattr__(cls, "__hash__", None)
        if order:
            compiled.extend(("__lt__", "__le__", "__gt__", "__ge__"))
        for name in compiled:
            _put(cls, name, _stub(cls, name, compile_after))
        if frozen:
            cls.__setattr__ = _frozen_setattr  # type: ignore[assignment]
            cls.__delattr__ = _frozen_delattr  # type: ignore[assignment]
        if slots and frozen:
            cls.__getstate__ = _slots_getstate  # type: ignore[attr-defined]
            cls.__setstate__ = _slots_setstate  # type: ignore[attr-defined]
        return cls

    return make if cls is None else make(cls)


def fields(instance_or_class: Any) -> tuple[Field, ...]:
    """The fields of a record or record class, in ``__init__`` order."""
    try:
        return instance_or_class.__record_fields__  # type: ignore[no-any-return]
    except AttributeError:
        raise TypeError("must be called with a record or a record class") from None


def replace(instance: T, /, **changes: Any) -> T:
    """A copy of the record ``instance`` with ``changes`` (as :func:`dataclasses.replace`)."""
    for spec in fields(instance):
        if not spec.init:
            if spec.name in changes:
                raise ValueError(
                    f"field {spec.name} is declared with init=False, it cannot be specified with replace()"
                )
        elif spec.name not in changes:
            changes[spec.name] = getattr(instance, spec.name)
    return instance.__class__(**changes)
