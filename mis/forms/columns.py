"""Which column of the admin's CSV file holds each field the kind reads: one choice per
field among the file's headers (an optional field may be left out)."""

from crispy_forms.helper import FormHelper
from django import forms

from ..kinds import FileKind

NOT_IN_FILE = "— Not in my file —"


class ColumnsForm(forms.Form):
    def __init__(self, *args, kind: FileKind, headers: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.kind = kind
        choices = [(header, header) for header in headers]
        for column in kind.columns:
            self.fields[column.name] = forms.ChoiceField(
                label=column.label,
                required=column.required,
                help_text=column.help_text,
                choices=[("", "Choose the column…" if column.required else NOT_IN_FILE)] + choices,
                error_messages={
                    "required": f"Choose the column that holds {column.label.lower()}.",
                    "invalid_choice": "Choose one of the columns of your file.",
                },
            )
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True

    def clean(self):
        cleaned = super().clean()
        used: dict[str, str] = {}
        for column in self.kind.columns:
            header = cleaned.get(column.name)
            if not header:
                continue
            if header in used:
                self.add_error(
                    column.name,
                    f"The column “{header}” is already chosen for {used[header].lower()}: "
                    "each column of the file can hold one field.",
                )
            else:
                used[header] = column.label
        return cleaned

    def columns(self) -> dict[str, str]:
        return {
            column.name: self.cleaned_data[column.name]
            for column in self.kind.columns
            if self.cleaned_data.get(column.name)
        }
