"""A leader puts a member of staff on a session of the rota."""

from django import forms


class SessionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        # The room as the school wrote it ("Room 14", "Library"): no label before it.
        return f"{obj.club.name}: {obj.date:%a %d/%m/%Y} {obj.start_time:%H:%M}, {obj.room}"


class StaffChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.get_full_name() or obj.email


class RotaAssignForm(forms.Form):
    session = SessionChoiceField(
        label="Session",
        queryset=None,
        empty_label="Choose a session",
        error_messages={
            "required": "Choose the session.",
            "invalid_choice": "Choose one of the coming sessions of your clubs.",
        },
    )
    staff = StaffChoiceField(
        label="Member of staff",
        queryset=None,
        empty_label="Choose a member of staff",
        error_messages={
            "required": "Choose the member of staff.",
            "invalid_choice": "Choose a teacher or learning support assistant of this school.",
        },
    )

    def __init__(self, *args, sessions, staff, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["session"].queryset = sessions
        self.fields["staff"].queryset = staff
