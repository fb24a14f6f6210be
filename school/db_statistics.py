"""A migration operation telling PostgreSQL that some columns of a table depend on each
other (CREATE STATISTICS ... (dependencies)), then gathering them (ANALYZE). Without it
the planner multiplies the chances of related conditions (a school's Year 7, a school's
sanctions of one year) as if unrelated, takes hundreds of rows for a handful at a trust of
many schools, and picks loops where it should hash. Nothing on other databases."""

from django.db.migrations.operations.base import Operation


class DependencyStatistics(Operation):
    reversible = True

    def __init__(self, name: str, table: str, columns: list[str]):
        self.name, self.table, self.columns = name, table, list(columns)

    def deconstruct(self):
        return (type(self).__qualname__, [self.name, self.table, self.columns], {})

    def state_forwards(self, app_label, state):
        pass  # no model changes

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(
                f"CREATE STATISTICS IF NOT EXISTS {self.name} (dependencies)"
                f" ON {', '.join(self.columns)} FROM {self.table}"
            )
            schema_editor.execute(f"ANALYZE {self.table}")

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(f"DROP STATISTICS IF EXISTS {self.name}")

    def describe(self):
        return f"Statistics {self.name}: {', '.join(self.columns)} of {self.table} depend"
