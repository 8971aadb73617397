# A ModelForm of Note may live here, if you would rather give your views a form_class
# than a list of fields.
