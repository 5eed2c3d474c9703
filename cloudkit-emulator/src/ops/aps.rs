//! The `aps` dictionary of a notification and the `af` additional fields of a query
//! notification, built from the subscription's `notificationInfo` (spec §4.13-4.14): what
//! Apple's push carries and CloudKit JS reads into its `Notification` (`alertBody`,
//! `soundName`, `badge`, `category`, the localisation keys).

use cloudkit_wire::ws::{Alert, AlertDictionary, Aps, NotificationInfo, RawJson};

use crate::storage::StoredRecord;

/// `aps` for a subscription's `notificationInfo`; `None` when it asks for nothing.
pub fn aps(info: Option<&NotificationInfo>) -> Option<Aps> {
    let info = info?;
    let alert = AlertDictionary {
        body: info.alert_body.clone(),
        loc_key: info.alert_localization_key.clone(),
        loc_args: info.alert_localization_args.clone(),
        action_loc_key: info.alert_action_localization_key.clone(),
        launch_image: info.alert_launch_image.clone(),
    };
    let aps = Aps {
        alert: (alert != AlertDictionary::default()).then_some(Alert::Dictionary(alert)),
        sound: info.sound_name.clone(),
        // The emulator keeps no unread count per device: a badge asked for is always 1.
        badge: (info.should_badge == Some(true)).then_some(1),
        category: info.category.clone(),
        content_available: (info.should_send_content_available == Some(true)).then_some(1),
    };
    (aps != Aps::default()).then_some(aps)
}

/// `ck.qry.af`: each of the `additionalFields` the record has, name to raw value.
pub fn additional_fields(
    info: Option<&NotificationInfo>,
    record: &StoredRecord,
) -> Option<RawJson> {
    let wanted = info?.additional_fields.as_ref()?;
    let fields: serde_json::Map<String, serde_json::Value> =
        serde_json::from_str(&record.fields).ok()?;
    let af: serde_json::Map<String, serde_json::Value> = wanted
        .iter()
        .filter_map(|name| {
            let value = fields.get(name)?.get("value")?;
            Some((name.clone(), value.clone()))
        })
        .collect();
    let text = serde_json::to_string(&af).ok()?;
    RawJson::from_json(text).ok()
}
