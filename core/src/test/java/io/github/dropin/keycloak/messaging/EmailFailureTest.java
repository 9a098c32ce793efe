package io.github.dropin.keycloak.messaging;

import io.github.dropin.keycloak.delivery.Channel;
import io.github.dropin.keycloak.delivery.DeliveryException;
import jakarta.mail.MessagingException;
import jakarta.mail.SendFailedException;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import org.junit.jupiter.api.Test;
import org.keycloak.email.EmailException;

import java.net.ConnectException;

import static org.assertj.core.api.Assertions.assertThat;

/** How SMTP failures, as Keycloak's email sender reports them, reach the caller. */
class EmailFailureTest {

    @Test
    void aRecipientTheServerRefusedIsTheUsersToFix() throws AddressException {
        SendFailedException refused = new SendFailedException("Invalid Addresses", null, new InternetAddress[0],
                new InternetAddress[0], new InternetAddress[]{new InternetAddress("nobody@example.test")});
        DeliveryException e = CodeMessenger.emailFailure(new EmailException("Error when attempting to send the email "
                + "to the server. More information is available in the server log.", refused));
        assertThat(e.reason()).isEqualTo(DeliveryException.Reason.INVALID_RECIPIENT);
        assertThat(e.isRecipientProblem()).isTrue();
        assertThat(e.channel()).isEqualTo(Channel.EMAIL);
        assertThat(e.detail()).isEqualTo("the SMTP server refused the recipient").doesNotContain("nobody");
    }

    @Test
    void aMalformedAddressIsTheUsersToFix() {
        assertThat(CodeMessenger.emailFailure(new EmailException("Invalid address 'a b@c'. If the address contains "
                + "UTF-8 characters ...")).reason()).isEqualTo(DeliveryException.Reason.INVALID_RECIPIENT);
        assertThat(CodeMessenger.emailFailure(new EmailException("Invalid email address format",
                new AddressException("Illegal whitespace"))).reason()).isEqualTo(DeliveryException.Reason.INVALID_RECIPIENT);
    }

    @Test
    void aServerThatCannotBeReachedIsUnavailable() {
        MessagingException connect = new MessagingException("Couldn't connect to host, port: 127.0.0.1, 1; timeout 10000",
                new ConnectException("Connection refused"));
        DeliveryException e = CodeMessenger.emailFailure(new EmailException("Error when attempting to send", connect));
        assertThat(e.reason()).isEqualTo(DeliveryException.Reason.UNAVAILABLE);
        assertThat(e.isRecipientProblem()).isFalse();
        assertThat(e.detail()).isEqualTo("email could not be sent: ConnectException Connection refused");
        // What an administrator may be told: the kind, not the text.
        assertThat(e.category()).isEqualTo(DeliveryException.Category.UNREACHABLE);
        assertThat(e.configurationProblem()).isEmpty();
    }

    @Test
    void timeoutsAndRefusedLoginsHaveTheirOwnCategories() {
        assertThat(CodeMessenger.emailFailure(new EmailException("failed", new MessagingException("read",
                new java.net.SocketTimeoutException("Read timed out")))).category())
                .isEqualTo(DeliveryException.Category.TIMEOUT);
        assertThat(CodeMessenger.emailFailure(new EmailException("failed",
                new jakarta.mail.AuthenticationFailedException("535 5.7.8 bad credentials"))).category())
                .isEqualTo(DeliveryException.Category.REJECTED_CREDENTIALS);
        assertThat(CodeMessenger.emailFailure(new EmailException("failed", new SendFailedException("451 try later")))
                .category()).isEqualTo(DeliveryException.Category.PROVIDER_ERROR);
    }

    @Test
    void aSendFailureWithoutInvalidAddressesIsUnavailable() {
        SendFailedException partial = new SendFailedException("451 try later");
        assertThat(CodeMessenger.emailFailure(new EmailException("failed", partial)).reason())
                .isEqualTo(DeliveryException.Reason.UNAVAILABLE);
    }
}
