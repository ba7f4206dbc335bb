from allauth.mfa.totp.forms import ActivateTOTPForm
from allauth.mfa.totp.internal import auth as totp_auth
from crispy_forms.layout import Div, Layout
from django import forms
from django.contrib.auth import password_validation
from django.utils.translation import gettext_lazy as _

from .enums import ROLES_BY_KIND, Role
from .form_helpers import NOTE_MAX_LENGTH, cap_text_fields, free_text, submit_helper
from .models import CompanyAccessRequest, Invitation, Organisation, Region, User
from .permissions import can_invite_member
from .validators import normalise_siret, validate_siret


class InvitationForm(forms.Form):
    # The column's length: Django's EmailField alone takes 320 characters.
    email = forms.EmailField(
        label=_("Adresse e-mail"), max_length=Invitation._meta.get_field("email").max_length
    )
    first_name = forms.CharField(label=_("Prénom"), max_length=150, required=False)
    last_name = forms.CharField(label=_("Nom"), max_length=150, required=False)
    organisation = forms.ModelChoiceField(
        label=_("Organisation"), queryset=Organisation.objects.none()
    )
    role = forms.ChoiceField(label=_("Rôle"), choices=Role.choices)

    def __init__(self, *args, inviter, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.inviter = inviter
        self.fields["organisation"].queryset = organisations
        kinds = organisations.order_by().values_list("kind", flat=True).distinct()
        roles = {role for kind in kinds for role in ROLES_BY_KIND.get(kind, ())}
        self.fields["role"].choices = [
            (value, label) for value, label in Role.choices if value in roles
        ]
        self.helper = submit_helper(_("Envoyer l'invitation"))

    def clean(self):
        data = super().clean()
        organisation, role = data.get("organisation"), data.get("role")
        if organisation and role and not can_invite_member(self.inviter, organisation, role):
            self.add_error(
                "role",
                _(
                    "Ce rôle ne correspond pas à cette organisation, ou vous ne pouvez pas y inviter."
                ),
            )
        return data


class AcceptInvitationForm(forms.Form):
    first_name = forms.CharField(label=_("Prénom"), max_length=150)
    last_name = forms.CharField(label=_("Nom"), max_length=150)
    password1 = forms.CharField(
        label=_("Mot de passe"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validation.password_validators_help_text_html(),
    )
    password2 = forms.CharField(
        label=_("Confirmation du mot de passe"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args, email, **kwargs):
        super().__init__(*args, **kwargs)
        self.email = email
        self.helper = submit_helper(_("Créer mon compte"))

    def clean(self):
        data = super().clean()
        p1, p2 = data.get("password1"), data.get("password2")
        if p1 and p2 and p1 != p2:
            self.add_error("password2", _("Les deux mots de passe ne sont pas identiques."))
        elif p1:
            probe = User(
                email=self.email,
                first_name=data.get("first_name", ""),
                last_name=data.get("last_name", ""),
            )
            try:
                password_validation.validate_password(p1, probe)
            except forms.ValidationError as exc:
                self.add_error("password1", exc)
        return data


class CompanyAccessRequestForm(forms.ModelForm):
    # A honeypot: hidden from people (and from screen readers), filled by the robots
    # that post every field they find. A filled one is answered as usual and dropped.
    website = forms.CharField(
        label=_("Laissez ce champ vide"),
        required=False,
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )

    class Meta:
        model = CompanyAccessRequest
        fields = [
            "company_name",
            "siret",
            "region",
            "postcode",
            "city",
            "first_name",
            "last_name",
            "email",
            "phone",
            "message",
        ]
        widgets = {"message": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = Region.objects.all()
        # People type SIRETs with spaces: accept them here, store the 14 digits.
        self.fields["siret"] = forms.CharField(
            label=_("SIRET"),
            max_length=20,
            help_text=_("14 chiffres, espaces permis."),
            widget=forms.TextInput(attrs={"inputmode": "numeric"}),
        )
        self.fields["postcode"].widget.attrs.update(
            {"inputmode": "numeric", "autocomplete": "postal-code"}
        )
        self.fields["email"].widget.attrs["autocomplete"] = "email"
        self.fields["phone"].widget.attrs["autocomplete"] = "tel"
        # Anyone may post this form: its free text is capped like every other.
        cap_text_fields(self, {"message": NOTE_MAX_LENGTH})
        self.helper = submit_helper(_("Envoyer la demande"))
        self.helper.layout = Layout(
            *self.Meta.fields,
            Div("website", css_class="d-none", aria_hidden="true"),
        )

    @property
    def is_from_a_robot(self) -> bool:
        return bool(self.data.get("website"))

    def clean_siret(self):
        siret = normalise_siret(self.cleaned_data["siret"])
        validate_siret(siret)
        return siret

    def clean_postcode(self):
        value = self.cleaned_data["postcode"].strip()
        if len(value) != 5 or not value.isdigit():
            raise forms.ValidationError(_("Un code postal compte 5 chiffres."))
        return value


class RejectAccessRequestForm(forms.Form):
    reason = free_text(
        _("Motif du refus (envoyé au demandeur)"),
        required=True,
        error_messages={"required": _("Indiquez le motif du refus.")},
    )


class ProfileForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["first_name", "last_name", "phone", "language"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Colleagues and youths' files show this name: it cannot be blank.
        self.fields["first_name"].required = True
        self.fields["last_name"].required = True
        self.helper = submit_helper(_("Enregistrer"))


class StableSecretActivateTOTPForm(ActivateTOTPForm):
    """allauth's TOTP set-up form, with one secret for the whole set-up.

    allauth draws a new secret each time the form is shown unbound. Until they enrol,
    project leads and national staff are sent back to this page from any other page
    (accounts.middleware), and a reload shows it again too: each time the QR code just
    scanned became useless and its codes were refused. The secret is kept in the session
    from its first display until the activation, which clears it (allauth's
    `flows.activate_totp`); it never leaves the server but in this page."""

    def __init__(self, *args, **kwargs) -> None:
        self.user = kwargs.pop("user")
        # allauth's own __init__ would draw a new secret: skip it, keep its fields.
        forms.Form.__init__(self, *args, **kwargs)
        self.secret = totp_auth.get_totp_secret(regenerate=False)
        self.fields["code"].label = _("Code à 6 chiffres affiché par l'application")
        self.fields["code"].widget.attrs.update(
            {"inputmode": "numeric", "autocomplete": "one-time-code", "placeholder": ""}
        )
