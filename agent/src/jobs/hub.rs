//! The job protocol's three calls, as the agent makes them: lease (a long poll), report
//! (also the heartbeat) and log upload at an offset.

use std::time::Duration;

use agora_schemas::job::{
    JobLease, JobReport, LEASE_TOKEN_HEADER, LeaseRequest, LogAppended, ReportAnswer,
};
use reqwest::Method;
use reqwest::header::CONTENT_TYPE;

use crate::client::{HubClient, classify};
use crate::error::{Error, Result};

/// Why a report or log upload did not go through.
#[derive(Debug)]
pub enum ReportError {
    /// 409: the lease is no longer this agent's; the job must stop.
    LeaseLost,
    /// Anything else (retry when retryable).
    Hub(Error),
}

impl From<Error> for ReportError {
    fn from(e: Error) -> Self {
        Self::Hub(e)
    }
}

/// The hub's answer to a log upload.
#[derive(Debug, PartialEq, Eq)]
pub enum LogAnswer {
    Appended(u64),
    /// The hub has a different length: resume from it.
    Expected(u64),
}

fn unreadable(e: impl std::fmt::Display) -> Error {
    Error::Unreachable(format!("the hub's answer is unreadable: {e}"))
}

impl HubClient {
    /// Waits up to `wait` for a job; `None` when none came.
    pub async fn lease(&self, request: &LeaseRequest, wait: Duration) -> Result<Option<JobLease>> {
        let body = serde_json::to_vec(request).map_err(std::io::Error::other)?;
        let response = self
            .request(Method::POST, "/api/v1/agent/jobs/lease")?
            .header(CONTENT_TYPE, "application/json")
            // The long poll may last `wait`; give the answer room beyond it.
            .timeout(wait + Duration::from_secs(15))
            .body(body)
            .send()
            .await
            .map_err(|e| Error::Unreachable(e.to_string()))?;
        if response.status() == reqwest::StatusCode::NO_CONTENT {
            return Ok(None);
        }
        let bytes = classify(response).await?;
        serde_json::from_slice(&bytes).map(Some).map_err(unreadable)
    }

    /// Reports a job's state; a `running` report renews the lease.
    pub async fn report(
        &self,
        job_id: i64,
        report: &JobReport,
    ) -> Result<ReportAnswer, ReportError> {
        let body = serde_json::to_vec(report).map_err(|e| Error::Io(std::io::Error::other(e)))?;
        let response = self
            .request(Method::PUT, &format!("/api/v1/agent/jobs/{job_id}"))?
            .header(CONTENT_TYPE, "application/json")
            .body(body)
            .send()
            .await
            .map_err(|e| Error::Unreachable(e.to_string()))?;
        if response.status() == reqwest::StatusCode::CONFLICT {
            return Err(ReportError::LeaseLost);
        }
        let bytes = classify(response).await?;
        Ok(serde_json::from_slice(&bytes).map_err(unreadable)?)
    }

    /// Appends `bytes` to the job's log at `offset`.
    pub async fn append_log(
        &self,
        job_id: i64,
        lease_token: &str,
        offset: u64,
        bytes: Vec<u8>,
    ) -> Result<LogAnswer, ReportError> {
        let response = self
            .request(
                Method::PUT,
                &format!("/api/v1/agent/jobs/{job_id}/log?offset={offset}"),
            )?
            .header(CONTENT_TYPE, "text/plain; charset=utf-8")
            .header(LEASE_TOKEN_HEADER, lease_token)
            .body(bytes)
            .send()
            .await
            .map_err(|e| Error::Unreachable(e.to_string()))?;
        if response.status() == reqwest::StatusCode::CONFLICT {
            // Either the offset is wrong (the body says which is right) or the lease is gone.
            let body = response.bytes().await.unwrap_or_default();
            let expected = serde_json::from_slice::<serde_json::Value>(&body)
                .ok()
                .and_then(|v| v["expected_offset"].as_u64());
            return match expected {
                Some(m) => Ok(LogAnswer::Expected(m)),
                None => Err(ReportError::LeaseLost),
            };
        }
        let bytes = classify(response).await?;
        let appended: LogAppended = serde_json::from_slice(&bytes).map_err(unreadable)?;
        Ok(LogAnswer::Appended(appended.next_offset))
    }
}
