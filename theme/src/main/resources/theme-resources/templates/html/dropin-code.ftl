<#import "template.ftl" as layout>
<#-- A one-time code (CodeMessenger). The layout sets lang and dir (rtl for Arabic, Persian, Hebrew); the code itself
     is digits that must read left to right in every language, so it is isolated as an LTR run. -->
<@layout.emailLayout>
<p>${kcSanitize(msg("dropin.email.body.intro." + purpose, realmName))?no_esc}</p>
<p dir="ltr" style="font-size: 28px; font-weight: bold; letter-spacing: 6px; font-family: monospace; text-align: ${(ltr)?then('left','right')};">${code}</p>
<p>${kcSanitize(expiry)?no_esc}</p>
</@layout.emailLayout>
