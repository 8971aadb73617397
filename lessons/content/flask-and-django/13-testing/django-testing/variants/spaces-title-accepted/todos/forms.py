from django import forms

from .models import Todo


class TodoForm(forms.ModelForm):
    title = forms.CharField(max_length=100, strip=False)

    class Meta:
        model = Todo
        fields = ["title"]
