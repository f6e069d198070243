"""Settings read from CHOPBAR_* environment variables with pydantic-settings: the base that the
service's own settings and each provider's share, and what every provider's settings have.

A settings class is built from the values given to it and nothing else, so a test writes
`Settings(database_url=...)` and gets exactly that; `from_environ` reads a mapping of variables
(the process's environment, or a test's own) through pydantic-settings' environment source.
"""
from collections.abc import Mapping
from typing import Annotated, ClassVar

from pydantic import BeforeValidator, Field, SecretStr, ValidationError
from pydantic_settings import BaseSettings, EnvSettingsSource, SettingsConfigDict

OFF = ("0", "false", "no", "off", "")


class UnreadableSetting(ValueError):
    """A variable whose value is not of its setting's type."""


def _flag(raw: object) -> object:
    """Any value but 0, false, no, off or nothing turns a flag on."""
    return raw.strip().lower() not in OFF if isinstance(raw, str) else raw


Flag = Annotated[bool, BeforeValidator(_flag)]


def secret(default: str, hint: str):
    """A secret setting: never logged nor shown; `hint` says what a good value is, for the
    message that refuses to start without one."""
    return Field(SecretStr(default), description=hint)


class _Environ(EnvSettingsSource):
    """pydantic-settings' environment source, over a given mapping rather than os.environ."""

    def __init__(self, settings_cls: type[BaseSettings], environ: Mapping[str, str]) -> None:
        self.environ = environ
        super().__init__(settings_cls)

    def _load_env_vars(self) -> Mapping[str, str | None]:
        return {name.lower(): value for name, value in self.environ.items()}  # names are not case-sensitive


class EnvironSettings(BaseSettings):
    model_config = SettingsConfigDict(frozen=True, extra="forbid")

    @classmethod
    def settings_customise_sources(cls, settings_cls, init_settings, env_settings, dotenv_settings, file_secret_settings):
        return (init_settings,)  # the environment is read by from_environ, and only there

    @classmethod
    def from_environ(cls, environ: Mapping[str, str]):
        """The settings from their variables in `environ`; unset keeps the default."""
        return cls.built(cls.variables(environ), environ)

    @classmethod
    def variables(cls, environ: Mapping[str, str]) -> dict[str, object]:
        """The values of this class's settings that `environ` sets, by setting name."""
        return _Environ(cls, environ)()

    @classmethod
    def built(cls, values: dict[str, object], environ: Mapping[str, str]):
        """The settings from `values`, read from `environ`: a value not of its setting's type is
        refused naming its variable."""
        try:
            return cls(**values)
        except ValidationError as exc:
            raise UnreadableSetting(cls._unreadable(exc, environ)) from None

    @classmethod
    def variable(cls, name: str) -> str:
        """The environment variable of a setting."""
        return f"{cls.model_config['env_prefix']}{name}".upper()

    @classmethod
    def _unreadable(cls, exc: ValidationError, environ: Mapping[str, str]) -> str:
        error = exc.errors()[0]
        name = str(error["loc"][0]) if error["loc"] else ""
        variable = cls.variable(name)
        raw = {k.upper(): v for k, v in environ.items()}.get(variable)
        if cls.model_fields.get(name) is not None and cls.model_fields[name].annotation in (int, float):
            return f"{variable} must be a number, not {raw!r}"
        if cls.model_fields.get(name) is not None and cls.model_fields[name].annotation is SecretStr:
            return f"{variable}: {error['msg']}"  # a secret is never echoed, not even a wrong one
        return f"{variable}: {error['msg']}, not {raw!r}"


class ProviderSettings(EnvironSettings):
    """One provider's settings, CHOPBAR_<PROVIDER>_*: with none of `real_when` set, the bundled
    simulator stands in for the provider."""

    real_when: ClassVar[tuple[str, ...]] = ("base_url",)
