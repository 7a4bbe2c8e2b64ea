package dev.livestate.server.adapter.meet;

import jakarta.mail.Authenticator;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.PasswordAuthentication;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import java.util.Properties;

/** Sends publish confirmations over SMTP (Jakarta Mail / Angus). Blocking: call off the loop. */
final class Mailer {
  private final Session session;
  private final String from;

  private Mailer(Session session, String from) {
    this.session = session;
    this.from = from;
  }

  /** The configured mailer, or null when no SMTP host is set. */
  static Mailer from(MeetConfig.Smtp smtp) {
    String host = smtp.host();
    if (host.isEmpty()) {
      return null;
    }
    Properties p = new Properties();
    p.put("mail.smtp.host", host);
    p.put("mail.smtp.port", Integer.toString(smtp.port()));
    p.put("mail.smtp.connectiontimeout", "10000");
    p.put("mail.smtp.timeout", "10000");
    p.put("mail.smtp.writetimeout", "10000");
    switch (smtp.security()) {
      case NONE -> { }
      case STARTTLS -> {
        p.put("mail.smtp.starttls.enable", "true");
        p.put("mail.smtp.starttls.required", "true");
      }
      case TLS -> p.put("mail.smtp.ssl.enable", "true");
    }
    String user = smtp.user();
    Authenticator auth = null;
    if (!user.isEmpty()) {
      p.put("mail.smtp.auth", "true");
      String password = smtp.password();
      auth = new Authenticator() {
        @Override
        protected PasswordAuthentication getPasswordAuthentication() {
          return new PasswordAuthentication(user, password);
        }
      };
    }
    return new Mailer(Session.getInstance(p, auth), smtp.from());
  }

  /** Emails the confirmation of a published meet with its OPL CSV attached. */
  void sendPublished(String to, String meetId, String csv) throws MessagingException {
    MimeMessage m = new MimeMessage(session);
    m.setFrom(new InternetAddress(from));
    m.setRecipients(Message.RecipientType.TO, InternetAddress.parse(to, true));
    m.setSubject("Meet " + Tokens.display(meetId) + " published", "UTF-8");
    MimeBodyPart text = new MimeBodyPart();
    text.setText("Your live meet " + Tokens.display(meetId) + " has been published and is now"
        + " read-only.\nThe OpenLifter CSV export is attached.\n", "UTF-8");
    MimeBodyPart attachment = new MimeBodyPart();
    attachment.setText(csv, "UTF-8", "csv");
    attachment.setFileName("meet-" + meetId + ".opl.csv");
    attachment.setDisposition(MimeBodyPart.ATTACHMENT);
    m.setContent(new MimeMultipart(text, attachment));
    Transport.send(m);
  }
}
