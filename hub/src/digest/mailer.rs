//! Handing messages to SMTP: lettre's async tokio transport (TLS, STARTTLS or plain, with
//! optional authentication and a small connection pool), the message with its headers,
//! and the split of errors into ones worth retrying and ones that are final.

use std::time::Duration;

use lettre::message::header::{Header, HeaderName, HeaderValue};
use lettre::message::{Mailbox, MultiPart};
use lettre::transport::smtp::PoolConfig;
use lettre::transport::smtp::authentication::Credentials;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

use super::render::Rendered;
use crate::config::{DigestConfig, SmtpSecurity};
use crate::error::{Error, Result};

/// How a message fared.
#[derive(Debug)]
pub enum SendError {
    /// Worth trying again later: the server is unreachable, busy, or answered 4xx.
    Transient(String),
    /// Trying again will not help: the server answered 5xx, or the message is malformed.
    Permanent(String),
}

impl SendError {
    pub fn message(&self) -> &str {
        match self {
            SendError::Transient(m) | SendError::Permanent(m) => m,
        }
    }
}

/// The SMTP transport, built once and shared (it keeps a pool of connections).
#[derive(Clone)]
pub struct Mailer {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
}

macro_rules! text_header {
    ($name:ident, $header:literal) => {
        #[derive(Debug, Clone)]
        struct $name(String);

        impl Header for $name {
            fn name() -> HeaderName {
                HeaderName::new_from_ascii_str($header)
            }
            fn parse(
                s: &str,
            ) -> std::result::Result<Self, Box<dyn std::error::Error + Send + Sync>> {
                Ok(Self(s.to_string()))
            }
            fn display(&self) -> HeaderValue {
                HeaderValue::new(Self::name(), self.0.clone())
            }
        }
    };
}

text_header!(ListUnsubscribe, "List-Unsubscribe");
text_header!(ListUnsubscribePost, "List-Unsubscribe-Post");
text_header!(ListId, "List-Id");
text_header!(AutoSubmitted, "Auto-Submitted");
text_header!(ContentLanguage, "Content-Language");

/// What goes into one message besides the rendered bodies.
pub struct Envelope<'a> {
    pub to_name: &'a str,
    pub to_address: &'a str,
    pub message_id: &'a str,
    pub unsubscribe_url: &'a str,
    /// `ws4.agora.example.org`: lets mail clients group and filter a workstream's digests.
    pub list_id: &'a str,
}

impl Mailer {
    pub fn new(config: &DigestConfig) -> Result<Self> {
        let smtp = &config.smtp;
        let builder = match smtp.security {
            SmtpSecurity::Tls => AsyncSmtpTransport::<Tokio1Executor>::relay(&smtp.host),
            SmtpSecurity::Starttls => {
                AsyncSmtpTransport::<Tokio1Executor>::starttls_relay(&smtp.host)
            }
            SmtpSecurity::None => Ok(AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(
                &smtp.host,
            )),
        }
        .map_err(|e| Error::Config(format!("`digest.smtp`: {e}")))?;
        let mut builder = builder
            .port(smtp.port())
            .timeout(Some(Duration::from_secs(smtp.timeout_secs)))
            .pool_config(PoolConfig::new().max_size(smtp.max_connections));
        if let Some(user) = &smtp.username {
            let password = smtp
                .password
                .as_ref()
                .map(|p| p.expose().to_string())
                .unwrap_or_default();
            builder = builder.credentials(Credentials::new(user.clone(), password));
        }
        let from = config
            .from
            .parse()
            .map_err(|e| Error::Config(format!("`digest.from`: {e}")))?;
        Ok(Self {
            transport: builder.build(),
            from,
        })
    }

    /// Builds the multipart/alternative message (plain text first, HTML preferred).
    pub fn message(&self, env: &Envelope<'_>, body: &Rendered) -> Result<Message, SendError> {
        let to = Mailbox::new(
            Some(env.to_name.to_string()),
            env.to_address
                .parse()
                .map_err(|e| SendError::Permanent(format!("recipient address: {e}")))?,
        );
        Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(body.subject.clone())
            .message_id(Some(env.message_id.to_string()))
            .header(ListUnsubscribe(format!("<{}>", env.unsubscribe_url)))
            .header(ListUnsubscribePost("List-Unsubscribe=One-Click".into()))
            .header(ListId(format!("<{}>", env.list_id)))
            .header(AutoSubmitted("auto-generated".into()))
            .header(ContentLanguage(body.lang.code().into()))
            .multipart(MultiPart::alternative_plain_html(
                body.text.clone(),
                body.html.clone(),
            ))
            .map_err(|e| SendError::Permanent(format!("message: {e}")))
    }

    /// Hands a message to the server; `Ok` means the server accepted it (250 after DATA).
    pub async fn send(&self, message: Message) -> Result<(), SendError> {
        match self.transport.send(message).await {
            Ok(_) => Ok(()),
            Err(e) if e.is_permanent() => Err(SendError::Permanent(e.to_string())),
            Err(e) => Err(SendError::Transient(e.to_string())),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::Lang;

    #[tokio::test]
    async fn a_message_says_which_language_it_is_in() {
        let mailer = Mailer::new(&DigestConfig::default()).unwrap();
        let body = Rendered {
            lang: Lang::Fr,
            subject: "[WS4 Training data] 1 nouveau modèle — semaine 48".into(),
            text: "Nouveaux modèles".into(),
            html: "<p>Nouveaux modèles</p>".into(),
        };
        let envelope = Envelope {
            to_name: "Ana",
            to_address: "ana@alpha.test",
            message_id: "<digest.2026-W48.ws4.1@agora.test>",
            unsubscribe_url: "https://agora.test/digests/unsubscribe?u=1",
            list_id: "ws4.agora.test",
        };
        let raw = String::from_utf8(mailer.message(&envelope, &body).unwrap().formatted()).unwrap();
        assert!(raw.contains("Content-Language: fr\r\n"), "{raw}");
    }
}
