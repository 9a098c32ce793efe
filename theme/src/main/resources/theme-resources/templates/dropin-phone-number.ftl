<#--
  Phone number page of the Keycloak Drop-in Pack (sign-in, password reset, update phone number).
  Attributes: dropinPhone.title / .instruction / .submit (message keys), .value (the typed number), .currentPhone (masked),
  .offerRegistration (sign-in page: link to the registration page when the realm allows it).
  Markup follows keycloak.v2's field.ftl and buttons.ftl, with properties only, so that it also renders under
  themes that lack those macros.
-->
<#import "template.ftl" as layout>
<@layout.registrationLayout displayMessage=!messagesPerField.existsError('phoneNumber')
        displayInfo=((dropinPhone.offerRegistration!false) && realm.registrationAllowed && !registrationDisabled??); section>
<!-- template: dropin-phone-number.ftl -->
    <#if section = "header">
        ${msg(dropinPhone.title)}
    <#elseif section = "form">
        <#assign phoneError = messagesPerField.existsError('phoneNumber')>
        <form id="dropin-phone-form" class="${properties.kcFormClass!}" action="${url.loginAction}" method="post"
              onsubmit="this.querySelector('#dropin-send').disabled = true; return true;">
            <p id="dropin-phone-instruction" class="${properties.kcInputHelperTextItemTextClass!}">${msg(dropinPhone.instruction)}</p>
            <#if dropinPhone.currentPhone??>
                <p id="dropin-current-phone" class="${properties.kcInputHelperTextItemTextClass!}">${msg("dropin.phone.current", "\x2066" + dropinPhone.currentPhone + "\x2069")}</p>
            </#if>
            <div class="${properties.kcFormGroupClass!}">
                <div class="${properties.kcFormGroupLabelClass!}">
                    <label for="phoneNumber" class="${properties.kcFormLabelClass!}">
                        <span class="${properties.kcFormLabelTextClass!}">${msg("dropin.phone.label")}</span>
                    </label>
                </div>
                <span class="${properties.kcInputClass!} <#if phoneError>${properties.kcError!}</#if>">
                    <input id="phoneNumber" name="phoneNumber" type="tel" value="${dropinPhone.value!''}"
                           autocomplete="tel" inputmode="tel" dir="ltr" autofocus required
                           aria-describedby="dropin-phone-instruction dropin-phone-hint<#if phoneError> input-error-phoneNumber</#if>"
                           aria-invalid="<#if phoneError>true<#else>false</#if>"/>
                </span>
                <div class="${properties.kcFormHelperTextClass!}">
                    <div class="${properties.kcInputHelperTextClass!}">
                        <div class="${properties.kcInputHelperTextItemClass!}">
                            <span id="dropin-phone-hint" class="${properties.kcInputHelperTextItemTextClass!}">${msg("dropin.phone.hint")}</span>
                        </div>
                    </div>
                </div>
                <div id="input-error-container-phoneNumber">
                    <#if phoneError>
                        <div class="${properties.kcFormHelperTextClass!}" aria-live="polite">
                            <div class="${properties.kcInputHelperTextClass!}">
                                <div class="${properties.kcInputHelperTextItemClass!} ${properties.kcError!}">
                                    <span id="input-error-phoneNumber" class="${properties.kcInputErrorMessageClass!}">${messagesPerField.get('phoneNumber')}</span>
                                </div>
                            </div>
                        </div>
                    </#if>
                </div>
            </div>

            <div class="${properties.kcFormGroupClass!}">
                <div class="${properties.kcFormActionGroupClass!}">
                    <button id="dropin-send" name="send" type="submit"
                            class="${properties.kcButtonClass!} ${properties.kcButtonPrimaryClass!} ${properties.kcButtonBlockClass!}">${msg(dropinPhone.submit)}</button>
                    <#if isAppInitiatedAction??>
                        <button id="dropin-cancel" name="cancel-aia" value="true" type="submit" formnovalidate
                                class="${properties.kcButtonClass!} ${properties.kcButtonSecondaryClass!} ${properties.kcButtonBlockClass!}">${msg("doCancel")}</button>
                    </#if>
                </div>
            </div>
        </form>
    <#elseif section = "info">
        <div id="kc-registration">
            <span>${msg("noAccount")} <a id="dropin-register" href="${url.registrationUrl}">${msg("doRegister")}</a></span>
        </div>
    </#if>
</@layout.registrationLayout>
