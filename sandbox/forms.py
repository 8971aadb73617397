"""Forms for a grader's word on a submission: a comment and a verdict override."""

from __future__ import annotations

from django import forms
from django.conf import settings

from .models import VERDICT_CHOICES, Submission


class CommentForm(forms.Form):
    body = forms.CharField(
        label="Comment",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=settings.REVIEW_COMMENT_MAX_CHARS,
        help_text="Markdown. The learner sees it on this page.",
    )


class OverrideForm(forms.Form):
    to_status = forms.ChoiceField(label="New verdict", choices=VERDICT_CHOICES)
    reason = forms.CharField(
        label="Reason",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        help_text="Required. The learner sees it, and it is kept in the audit log.",
    )

    @classmethod
    def for_submission(cls, submission: Submission) -> OverrideForm:
        """A blank form, offering the likely change: a pass to a fail, anything else to a pass."""
        return cls(initial={"to_status": "fail" if submission.effective_status == "pass" else "pass"})

    def clean_reason(self) -> str:
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise forms.ValidationError("Say why you override the verdict.")
        return reason
