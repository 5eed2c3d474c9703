//! Geographic locations.

use serde::{Deserialize, Serialize};

use crate::timestamp::Timestamp;

/// A location dictionary (`LOCATION` fields).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Location {
    /// Degrees north.
    pub latitude: f64,
    /// Degrees east.
    pub longitude: f64,
    /// Radius of uncertainty of the coordinates, in metres.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub horizontal_accuracy: Option<f64>,
    /// Uncertainty of the altitude, in metres.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vertical_accuracy: Option<f64>,
    /// Metres above sea level.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub altitude: Option<f64>,
    /// Metres per second.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub speed: Option<f64>,
    /// Direction of travel in degrees (sent as a number; CloudKit JS typings say string).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub course: Option<f64>,
    /// When the location was determined.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timestamp: Option<Timestamp>,
}

impl Location {
    /// A location with only coordinates.
    pub fn new(latitude: f64, longitude: f64) -> Self {
        Location {
            latitude,
            longitude,
            horizontal_accuracy: None,
            vertical_accuracy: None,
            altitude: None,
            speed: None,
            course: None,
            timestamp: None,
        }
    }
}
