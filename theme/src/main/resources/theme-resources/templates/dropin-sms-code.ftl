<#--
  Code page of the Keycloak Drop-in Pack (sign-in, second factor, password reset, verify and update phone number).
  Attributes: dropinCode.title / .instruction / .submit (message keys), .maskedPhone, .codeLength, .lifetimeMinutes,
  .resendIn (seconds before "send a new code" is allowed), .changeNumber (offer going back to the phone page).
  The code field is what phones and password managers look for: inputmode="numeric", autocomplete="one-time-code".
  Phone numbers and codes are left-to-right also on right-to-left pages (dir="ltr", and U+2066/U+2069 isolates
  around the number inside translated sentences).
-->
<#import "template.ftl" as layout>
<@layout.registrationLayout displayMessage=!messagesPerField.existsError('code'); section>
<!-- template: dropin-sms-code.ftl -->
    <#if section = "header">
        ${msg(dropinCode.title)}
    <#elseif section = "form">
        <#assign codeError = messagesPerField.existsError('code')>
        <form id="dropin-code-form" class="${properties.kcFormClass!}" action="${url.loginAction}" method="post">
            <p id="dropin-code-instruction" class="${properties.kcInputHelperTextItemTextClass!}">${msg(dropinCode.instruction, dropinCode.codeLength?c, "\x2066" + dropinCode.maskedPhone + "\x2069", dropinCode.lifetimeMinutes?c)}</p>
            <div class="${properties.kcFormGroupClass!}">
                <div class="${properties.kcFormGroupLabelClass!}">
                    <label for="code" class="${properties.kcFormLabelClass!}">
                        <span class="${properties.kcFormLabelTextClass!}">${msg("dropin.code.label")}</span>
                    </label>
                </div>
                <span class="${properties.kcInputClass!} <#if codeError>${properties.kcError!}</#if>">
                    <input id="code" name="code" type="text" inputmode="numeric" autocomplete="one-time-code" dir="ltr"
                           size="${dropinCode.codeLength?c}" autofocus required
                           aria-describedby="dropin-code-instruction<#if codeError> input-error-code</#if>"
                           aria-invalid="<#if codeError>true<#else>false</#if>"/>
                </span>
                <div id="input-error-container-code">
                    <#if codeError>
                        <div class="${properties.kcFormHelperTextClass!}" aria-live="polite">
                            <div class="${properties.kcInputHelperTextClass!}">
                                <div class="${properties.kcInputHelperTextItemClass!} ${properties.kcError!}">
                                    <span id="input-error-code" class="${properties.kcInputErrorMessageClass!}">${messagesPerField.get('code')}</span>
                                </div>
                            </div>
                        </div>
                    </#if>
                </div>
            </div>

            <div class="${properties.kcFormGroupClass!}">
                <div class="${properties.kcFormActionGroupClass!}">
                    <button id="dropin-verify" name="verify" type="submit"
                            class="${properties.kcButtonClass!} ${properties.kcButtonPrimaryClass!} ${properties.kcButtonBlockClass!}">${msg(dropinCode.submit)}</button>
                </div>
            </div>

            <div id="dropin-resend-group" class="${properties.kcFormGroupClass!} dropin-resend">
                <#assign resendParts = msg("dropin.code.resendIn", "@@")?split("@@")>
                <p id="dropin-resend-hint" class="${properties.kcInputHelperTextItemTextClass!}" data-seconds="${dropinCode.resendIn?c}"<#if dropinCode.resendIn lte 0> hidden</#if>>${resendParts[0]}<span id="dropin-resend-seconds">${dropinCode.resendIn?c}</span><#if resendParts?size gt 1>${resendParts[1]}</#if></p>
                <button id="dropin-resend" name="resend" value="true" type="submit" formnovalidate
                        class="${properties.kcButtonClass!} ${properties.kcButtonSecondaryClass!} ${properties.kcButtonBlockClass!}">${msg("dropin.code.resend")}</button>
                <#if dropinCode.changeNumber>
                    <button id="dropin-change-number" name="changeNumber" value="true" type="submit" formnovalidate
                            class="${properties.kcButtonClass!} ${properties.kcButtonLinkClass!} ${properties.kcButtonBlockClass!}">${msg("dropin.code.changeNumber")}</button>
                </#if>
                <#if isAppInitiatedAction??>
                    <button id="dropin-cancel" name="cancel-aia" value="true" type="submit" formnovalidate
                            class="${properties.kcButtonClass!} ${properties.kcButtonLinkClass!} ${properties.kcButtonBlockClass!}">${msg("doCancel")}</button>
                </#if>
            </div>
        </form>
        <script>
            // Counts the cooldown down on the page; the server enforces it either way.
            (function () {
                var hint = document.getElementById("dropin-resend-hint");
                var seconds = document.getElementById("dropin-resend-seconds");
                var left = parseInt(hint.getAttribute("data-seconds"), 10) || 0;
                if (left <= 0) { return; }
                var timer = setInterval(function () {
                    left -= 1;
                    if (left <= 0) { hint.hidden = true; clearInterval(timer); return; }
                    seconds.textContent = String(left);
                }, 1000);
            })();
        </script>
    </#if>
</@layout.registrationLayout>
