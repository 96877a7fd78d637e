from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from engine.runtime import Runtime
from engine.storage.tables import Base


def test_the_migrations_build_exactly_the_schema_the_tables_declare(rt: Runtime) -> None:
    with rt.db.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": False})
        differences = compare_metadata(context, Base.metadata)
    assert differences == []
