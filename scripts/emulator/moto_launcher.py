#!/usr/bin/env python3
"""Start a moto server on 127.0.0.1 with fixes for its multi-Region KMS key defects.

Usage:
    python3 scripts/emulator/moto_launcher.py --port 5000 [--account-id 111111111111]
        [--exit-with-parent] [--quiet] [--pid-file PATH] [--no-patches]

Written for moto 5.2.1 (checked at start: another version only prints a warning).
Every fix below is a monkeypatch applied in-process; the installed moto is never edited.
Each fix is one named function, applied in order by ``apply_patches()``: delete a
function (and its line in PATCHES) once moto fixes the defect it works around.

1. patch_mrk_ciphertext_header()       Decrypt of multi-Region ciphertexts (40-char mrk- ids)
2. patch_replicate_key_independent()   ReplicateKey makes an independent key (own aliases, config)
3. patch_describe_key_read_only()      DescribeKey no longer rewrites MultiRegionKeyType
4. patch_replicate_key_arguments()     ReplicateKey honours Description, Policy, Tags
5. patch_update_primary_region()       UpdatePrimaryRegion implemented (synchronously)
6. patch_s3_replication_round_trip()   GetBucketReplication returns SourceSelectionCriteria
7. patch_dynamodb_replicas()           UpdateTable ReplicaUpdates creates ACTIVE replicas

Prints ``READY <port>`` on stdout once the socket listens; exits 0 on SIGTERM/SIGINT.
Only loopback: the host is always 127.0.0.1.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import re
import signal
import struct
import sys
import threading
import time
from copy import copy
from typing import Any

MOTO_VERSION_PATCHED = "5.2.1"
HOST = "127.0.0.1"


def log(message: str) -> None:
    try:
        print(f"[moto_launcher] {message}", file=sys.stderr, flush=True)
    except (OSError, ValueError):  # stderr may be a pipe whose reader has gone
        pass


def check_moto_version() -> None:
    import moto

    version = getattr(moto, "__version__", "unknown")
    if version != MOTO_VERSION_PATCHED:
        log(
            f"WARNING: these patches were written for moto {MOTO_VERSION_PATCHED}, "
            f"found {version}; check each patch is still needed and still fits."
        )


# --------------------------------------------------------------------------------------
# Errors moto's KMS module does not define (JSON protocol: the SDKs read "__type").
# --------------------------------------------------------------------------------------


def _kms_error(error_type: str, message: str) -> Exception:
    from moto.core.exceptions import JsonRESTError

    class KmsError(JsonRESTError):
        code = 400

    return KmsError(error_type, message)


# --------------------------------------------------------------------------------------
# Multi-Region key set helpers (used by patches 2, 4 and 5).
# --------------------------------------------------------------------------------------

_REGION_RE = re.compile(r"^[a-z]{2}(-[a-z]+)+-\d+$")
_KEY_ARN_RE = re.compile(r"^arn:aws[a-z-]*:kms:([a-z0-9-]+):(\d{12}):key/(.+)$")


def _kms_key_arn(region: str, account_id: str, key_id: str) -> str:
    from moto.utilities.utils import get_partition

    return f"arn:{get_partition(region)}:kms:{region}:{account_id}:key/{key_id}"


def _kms_set_members(account_id: str, key_id: str) -> list[Any]:
    """Every key of the multi-Region set `key_id` in the account, one per region.

    Only regions whose backend already exists are visited (dict.values avoids
    instantiating a backend per region).
    """
    from moto.kms.models import kms_backends

    members = []
    for backend in list(dict.values(kms_backends[account_id])):
        key = backend.keys.get(key_id)
        if key is not None and getattr(key, "multi_region", False):
            members.append(key)
    return members


def _kms_sync_set(account_id: str, key_id: str, primary_region: str) -> None:
    """Give every key of the set its own, correct MultiRegionConfiguration.

    Each key gets a new dict (never shared). ReplicaKeys lists every replica, the
    current key included when it is a replica (as AWS documents it).
    """
    members = _kms_set_members(account_id, key_id)
    primary = next(k for k in members if k.region == primary_region)
    replicas = sorted(
        (k for k in members if k is not primary), key=lambda k: (k.creation_date, k.region)
    )
    for key in members:
        key.multi_region_configuration = {
            "MultiRegionKeyType": "PRIMARY" if key is primary else "REPLICA",
            "PrimaryKey": {"Arn": primary.arn, "Region": primary.region},
            "ReplicaKeys": [{"Arn": r.arn, "Region": r.region} for r in replicas],
        }


def _kms_is_primary(key: Any) -> bool:
    return key.multi_region_configuration.get("MultiRegionKeyType") == "PRIMARY"


# --------------------------------------------------------------------------------------
# 1. Ciphertext header too short for mrk- key ids
# --------------------------------------------------------------------------------------


def patch_mrk_ciphertext_header() -> None:
    """moto 5.2.1 defect: moto/kms/utils.py packs the key id into a fixed 36-byte
    field (KEY_ID_LEN = 36) of the ciphertext header. Multi-Region ids are
    "mrk-" + a 36-char UUID = 40 chars, so struct.pack truncates them and every
    Decrypt looks up a key id that does not exist (AccessDeniedException).

    Fix: a length-prefixed header, marked by a leading 0x01 byte:
        0x01 | len(key_id) (1 byte) | key_id | iv (12) | tag (16) | ciphertext
    Blobs in moto's original layout (which start with a key id character, never
    0x01) still deserialize. As the id is in the header and every key of a
    multi-Region set has the same id and key material, a ciphertext from any key
    of the set decrypts with any other (Decrypt looks the id up in its own region).
    """
    from moto.kms import utils

    marker = b"\x01"
    original_deserialize = utils._deserialize_ciphertext_blob

    def _serialize_ciphertext_blob(ciphertext: Any) -> bytes:
        key_id = ciphertext.key_id.encode("utf-8")
        if len(key_id) > 255:
            raise ValueError(f"key id too long for the ciphertext header: {ciphertext.key_id}")
        return (
            marker
            + struct.pack(">B", len(key_id))
            + key_id
            + ciphertext.iv
            + ciphertext.tag
            + ciphertext.ciphertext
        )

    def _deserialize_ciphertext_blob(ciphertext_blob: bytes) -> Any:
        if not ciphertext_blob.startswith(marker):
            return original_deserialize(ciphertext_blob)
        id_len = ciphertext_blob[1]
        start = 2
        key_id = ciphertext_blob[start : start + id_len]
        iv_start = start + id_len
        tag_start = iv_start + utils.IV_LEN
        body_start = tag_start + utils.TAG_LEN
        if len(ciphertext_blob) < body_start:
            raise ValueError("ciphertext blob too short")
        return utils.Ciphertext(
            key_id=key_id.decode("utf-8"),
            iv=ciphertext_blob[iv_start:tag_start],
            ciphertext=ciphertext_blob[body_start:],
            tag=ciphertext_blob[tag_start:body_start],
        )

    # encrypt()/decrypt() in moto.kms.utils look these names up at call time.
    utils._serialize_ciphertext_blob = _serialize_ciphertext_blob
    utils._deserialize_ciphertext_blob = _deserialize_ciphertext_blob


# --------------------------------------------------------------------------------------
# 2. ReplicateKey: shallow copy shares aliases and the multi-Region configuration
# --------------------------------------------------------------------------------------


def patch_replicate_key_independent() -> None:
    """moto 5.2.1 defect: KmsBackend.replicate_key does copy(key): the replica shares
    the primary's `aliases` dict (so creating the same alias name in the replica's
    region fails with AlreadyExistsException), its `grants`, `rotations` and its
    `multi_region_configuration` dict (patch 3's defect then corrupts the primary).
    It also replicates single-Region keys and replicas, and silently overwrites an
    existing replica.

    Fix: the replica is a new key object that shares only what AWS shares (key id,
    key material, key spec, key usage, origin, rotation status) and has its own
    ARN, creation date, state, aliases, grants, policy, description, tags and
    MultiRegionConfiguration dict. Every key of the set is then re-described by
    _kms_sync_set(). Rejections: not multi-Region or not the primary ->
    UnsupportedOperationException; replica region = primary region ->
    ValidationException; a key of the set already in that region ->
    AlreadyExistsException; ReplicaRegion not a region name -> ValidationException.
    Patch 4 (Description/Policy/Tags) extends the signature used here.
    """
    from moto.core.utils import unix_time
    from moto.kms.exceptions import AlreadyExistsException, ValidationException
    from moto.kms.models import KmsBackend, kms_backends

    def replicate_key(
        self: Any,
        key_id: str,
        replica_region: str,
        description: str | None = None,
        policy: str | None = None,
        tags: list[dict[str, str]] | None = None,
    ) -> Any:
        source = self.keys[self.any_id_to_key_id(key_id)]
        if not isinstance(replica_region, str) or not _REGION_RE.match(replica_region):
            raise ValidationException(
                f"1 validation error detected: Value '{replica_region}' at 'replicaRegion' "
                "failed to satisfy constraint: Member must satisfy regular expression "
                "pattern: ^([a-z]+-){2,3}\\d+$"
            )
        if not source.multi_region:
            raise _kms_error(
                "UnsupportedOperationException",
                f"{source.arn} is not a multi-Region key.",
            )
        if not _kms_is_primary(source):
            raise _kms_error(
                "UnsupportedOperationException",
                f"{source.arn} is not a multi-Region primary key.",
            )
        if replica_region == self.region_name:
            raise ValidationException(
                f"The replica region {replica_region} is the region of the primary key {source.arn}."
            )
        target = kms_backends[self.account_id][replica_region]
        if source.id in target.keys:
            raise AlreadyExistsException(
                f"{_kms_key_arn(replica_region, self.account_id, source.id)} already exists."
            )

        replica = copy(source)  # shares key_material / private_key (same key material)
        replica.region = replica_region
        replica.arn = _kms_key_arn(replica_region, self.account_id, source.id)
        replica.creation_date = unix_time()
        replica.key_state = "Enabled"
        replica.enabled = True
        replica.deletion_date = None
        replica.aliases = {}
        replica.grants = {}
        replica.rotations = list(source.rotations)
        replica.description = description or ""
        replica.policy = policy or replica.generate_default_policy()
        replica.multi_region_configuration = {}
        target.keys[replica.id] = replica
        if tags:
            target.tag_resource(replica.id, tags)
        _kms_sync_set(self.account_id, source.id, primary_region=self.region_name)
        return replica

    KmsBackend.replicate_key = replicate_key


# --------------------------------------------------------------------------------------
# 3. DescribeKey writes REPLICA into the shared configuration
# --------------------------------------------------------------------------------------


def patch_describe_key_read_only() -> None:
    """moto 5.2.1 defect: KmsBackend.describe_key sets
    multi_region_configuration["MultiRegionKeyType"] = "REPLICA" whenever the key's
    ARN differs from PrimaryKey.Arn. With the shared dict of defect 2, describing a
    replica turns the primary into a replica, and Terraform then fails with
    "is not a multi-Region primary key".

    Fix: describe_key only reads. The configuration is maintained by
    _kms_sync_set() on ReplicateKey and UpdatePrimaryRegion.
    """
    from moto.kms.models import KmsBackend

    def describe_key(self: Any, key_id: str) -> Any:
        return self.keys[self.any_id_to_key_id(key_id)]

    KmsBackend.describe_key = describe_key


# --------------------------------------------------------------------------------------
# 4. ReplicateKey ignores Description, Policy and Tags
# --------------------------------------------------------------------------------------


def patch_replicate_key_arguments() -> None:
    """moto 5.2.1 defect: KmsResponse.replicate_key reads only KeyId and ReplicaRegion,
    so every replica has an empty description, no tags and (in the response) a
    default policy, whatever the request said.

    Fix: pass Description, Policy and Tags to the backend (patch 2's signature).
    A replica created without Policy gets moto's default key policy (root of the
    account may do kms:*), like a key created without one. The response carries
    the replica's real policy and tags.
    """
    from moto.kms.responses import KmsResponse

    def replicate_key(self: Any) -> str:
        key_id = self._get_param("KeyId")
        self._validate_key_id(key_id)
        replica_region = self._get_param("ReplicaRegion")
        tags = self._get_param("Tags") or []
        replica = self.kms_backend.replicate_key(
            key_id,
            replica_region,
            description=self._get_param("Description"),
            policy=self._get_param("Policy"),
            tags=tags,
        )
        return json.dumps(
            {
                "ReplicaKeyMetadata": replica.to_dict()["KeyMetadata"],
                "ReplicaPolicy": replica.policy,
                "ReplicaTags": tags,
            }
        )

    KmsResponse.replicate_key = replicate_key


# --------------------------------------------------------------------------------------
# 5. UpdatePrimaryRegion is not implemented
# --------------------------------------------------------------------------------------


def patch_update_primary_region() -> None:
    """moto 5.2.1 defect: there is no update_primary_region in KmsResponse, so the
    call ends in NotImplementedError (HTTP 500).

    Fix: KmsBackend.update_primary_region + KmsResponse.update_primary_region.
    KeyId (key id or key ARN of the current primary, in the request's region) and
    PrimaryRegion (a region holding a replica of the set). Afterwards the replica
    there is PRIMARY, the old primary is REPLICA, and every key of the set reports
    the new PrimaryKey and the new ReplicaKeys.

    Completes synchronously: AWS shows both keys in the transient `Updating` key
    state for a few seconds; here they stay `Enabled`.

    Rejections (error types from the KMS API model for UpdatePrimaryRegion):
      - KeyId an ARN that is malformed or names another region -> InvalidArnException
      - KeyId not found in this region                        -> NotFoundException
      - PrimaryRegion not a region name                       -> ValidationException
      - key not multi-Region, or not the primary key          -> UnsupportedOperationException
      - PrimaryRegion is the current primary's region         -> UnsupportedOperationException
      - no replica of the set in PrimaryRegion                -> NotFoundException
      - primary or target replica Disabled                    -> DisabledException
      - primary or target replica in another non-Enabled state (PendingDeletion, ...)
                                                              -> KMSInvalidStateException
    """
    from moto.kms.exceptions import NotFoundException, ValidationException
    from moto.kms.models import KmsBackend, kms_backends
    from moto.kms.responses import KmsResponse

    def update_primary_region(self: Any, key_id: str, primary_region: str) -> None:
        if key_id.startswith("arn:"):
            match = _KEY_ARN_RE.match(key_id)
            if not match:
                raise _kms_error("InvalidArnException", f"Invalid arn {key_id}")
            if match.group(1) != self.region_name or match.group(2) != self.account_id:
                raise _kms_error(
                    "InvalidArnException",
                    f"{key_id} is not in the region and account of the request "
                    f"({self.region_name}, {self.account_id}).",
                )
        raw_id = self.get_key_id(key_id)
        key = self.keys.get(raw_id)
        if key is None:
            raise NotFoundException(
                f"Key '{_kms_key_arn(self.region_name, self.account_id, raw_id)}' does not exist"
            )
        if not isinstance(primary_region, str) or not _REGION_RE.match(primary_region):
            raise ValidationException(
                f"1 validation error detected: Value '{primary_region}' at 'primaryRegion' "
                "failed to satisfy constraint: Member must satisfy regular expression "
                "pattern: ^([a-z]+-){2,3}\\d+$"
            )
        if not key.multi_region:
            raise _kms_error(
                "UnsupportedOperationException", f"{key.arn} is not a multi-Region key."
            )
        if not _kms_is_primary(key):
            raise _kms_error(
                "UnsupportedOperationException",
                f"{key.arn} is not a multi-Region primary key.",
            )
        if primary_region == self.region_name:
            raise _kms_error(
                "UnsupportedOperationException",
                f"{key.arn} is already the primary key in {primary_region}.",
            )
        target_backend = dict.get(kms_backends[self.account_id], primary_region)
        replica = target_backend.keys.get(key.id) if target_backend else None
        if replica is None:
            raise NotFoundException(
                f"Key '{_kms_key_arn(primary_region, self.account_id, key.id)}' does not exist"
            )
        for k in (key, replica):
            if k.key_state == "Disabled":
                raise _kms_error("DisabledException", f"{k.arn} is disabled.")
            if k.key_state != "Enabled":
                raise _kms_error(
                    "KMSInvalidStateException", f"{k.arn} is {k.key_state}."
                )
        _kms_sync_set(self.account_id, key.id, primary_region=primary_region)

    def update_primary_region_response(self: Any) -> str:
        key_id = self._get_param("KeyId")
        primary_region = self._get_param("PrimaryRegion")
        if not key_id:
            raise ValidationException("KeyId is required")
        self.kms_backend.update_primary_region(key_id, primary_region)
        return json.dumps({})

    KmsBackend.update_primary_region = update_primary_region
    KmsResponse.update_primary_region = update_primary_region_response


# --------------------------------------------------------------------------------------
# 6. S3 GetBucketReplication drops SourceSelectionCriteria
# --------------------------------------------------------------------------------------


def patch_s3_replication_round_trip() -> None:
    """moto 5.2.1 defect: S3Response.get_bucket_replication rebuilds each rule from
    ID, Priority, Status and Destination only, with a fixed
    DeleteMarkerReplication Disabled and Filter {Prefix: ""}. PutBucketReplication
    stores the whole rule, but SourceSelectionCriteria (SseKmsEncryptedObjects,
    ReplicaModifications) is never returned, so Terraform's
    aws_s3_bucket_replication_configuration shows a diff on every plan.

    Fix: return the stored SourceSelectionCriteria and ExistingObjectReplication,
    the stored DeleteMarkerReplication (default Disabled, as before) and a stored
    Filter that is a plain Prefix (default {Prefix: ""}, as before). Filters with
    Tag/And keep moto's default (not needed by this project).
    """
    from moto.s3 import responses as s3_responses

    ActionResult = s3_responses.ActionResult
    NotFound = s3_responses.ReplicationConfigurationNotFoundError

    def _filter(rule: dict[str, Any]) -> dict[str, Any]:
        stored = rule.get("Filter")
        if isinstance(stored, dict) and set(stored) == {"Prefix"}:
            return {"Prefix": stored["Prefix"] or ""}
        return {"Prefix": ""}

    def _rule(rule: dict[str, Any]) -> dict[str, Any]:
        out: dict[str, Any] = {
            "ID": rule["ID"],
            "Priority": rule["Priority"],
            "Status": rule["Status"],
            "DeleteMarkerReplication": rule.get("DeleteMarkerReplication")
            or {"Status": "Disabled"},
            "Filter": _filter(rule),
            "Destination": rule["Destination"],
        }
        for name in ("SourceSelectionCriteria", "ExistingObjectReplication"):
            if isinstance(rule.get(name), dict):
                out[name] = rule[name]
        return out

    def get_bucket_replication(self: Any) -> Any:
        self.data["Action"] = "GetBucketReplication"
        replication = self.backend.get_bucket_replication(self.bucket_name)
        if not replication:
            raise NotFound(bucket_name=self.bucket_name)
        return self.serialized(
            ActionResult(
                {
                    "ReplicationConfiguration": {
                        "Role": replication["Role"],
                        "Rules": [_rule(rule) for rule in replication["Rule"]],
                    }
                }
            )
        )

    s3_responses.S3Response.get_bucket_replication = get_bucket_replication


# --------------------------------------------------------------------------------------
# 7. DynamoDB global table replicas never become ACTIVE
# --------------------------------------------------------------------------------------


def patch_dynamodb_replicas() -> None:
    """moto 5.2.1 defect: DynamoHandler.update_table ignores ReplicaUpdates entirely
    (moto has no notion of global tables version 2019.11.21) and DescribeTable
    never returns `Replicas`. Terraform's aws_dynamodb_table sends one UpdateTable
    {ReplicaUpdates: [{Create: {RegionName, KMSMasterKeyId}}]} per `replica` block
    and then polls DescribeTable until Replicas[region].ReplicaStatus is ACTIVE;
    a missing entry counts as CREATING, so apply waits until its timeout.

    Fix (small, synchronous):
      - ReplicaUpdates Create: creates the table in the replica region's backend
        (same key schema, attributes, indexes, billing, streams) encrypted with the
        replica's KMSMasterKeyId (resolved to the key ARN of that region; an ARN of
        another region or an unknown key -> ValidationException, as a key must be in
        the replica's region). Without KMSMasterKeyId a source table with SSE gets
        the region's AWS managed key. The tables share one item store, so an item
        written in one region is read in every region (AWS replicates
        asynchronously; here it is immediate). A region that already has the
        table -> ValidationException "... already exist..." (what Terraform expects).
      - Update: changes the replica's KMSMasterKeyId. Delete: deletes the replica
        table. Unknown replica -> ValidationException "Replica specified in the
        Replica Update or Replica Delete action of the request was not found."
      - DescribeTable (every member's region) returns Replicas for the *other*
        regions with ReplicaStatus ACTIVE and KMSMasterKeyId, and
        GlobalTableVersion 2019.11.21. DeleteTable leaves the group.
    Not emulated: streams are not auto-enabled, stream records, TTL, PITR, tags,
    throughput and table class are per region and not synchronised; no CREATING
    phase.
    """
    from moto.dynamodb.exceptions import MockValidationException
    from moto.dynamodb.models import DynamoDBBackend, dynamodb_backends
    from moto.dynamodb.models.table import Table
    from moto.dynamodb.responses import DynamoHandler, DynamoResult
    from moto.kms.models import kms_backends

    not_found = (
        "Replica specified in the Replica Update or Replica Delete action of the "
        "request was not found."
    )

    def resolve_kms_key(account_id: str, region: str, key_id: str) -> str:
        match = _KEY_ARN_RE.match(key_id) or re.match(
            r"^arn:aws[a-z-]*:kms:([a-z0-9-]+):(\d{12}):alias/.+$", key_id
        )
        if match and match.group(1) != region:
            raise MockValidationException(
                f"One or more parameter values were invalid: KMSMasterKeyId {key_id} "
                f"is not in the replica's region {region}"
            )
        kms = kms_backends[account_id][region]
        try:
            raw_id = kms.any_id_to_key_id(key_id)
            return kms.keys[raw_id].arn
        except Exception:
            raise MockValidationException(
                f"One or more parameter values were invalid: KMSMasterKeyId {key_id} "
                f"does not exist in {region}"
            )

    def group_of(table: Table) -> dict[str, dict[str, Any]]:
        group = getattr(table, "_replica_group", None)
        if group is None:
            group = {table.region_name: {}}
            table._replica_group = group
        return group

    def create_replica(table: Table, action: dict[str, Any]) -> None:
        region = action.get("RegionName")
        if not region or not _REGION_RE.match(region) or region == table.region_name:
            raise MockValidationException(
                f"One or more parameter values were invalid: invalid replica region {region!r}"
            )
        group = group_of(table)
        target = dynamodb_backends[table.account_id][region]
        if region in group or table.name in target.tables:
            raise MockValidationException(
                f"Failed to create a the new replica of table with name: '{table.name}' "
                "because one or more replicas already existed as tables."
            )
        sse = None
        kms_key = action.get("KMSMasterKeyId")
        if kms_key:
            kms_key = resolve_kms_key(table.account_id, region, kms_key)
            sse = {"Enabled": True, "SSEType": "KMS", "KMSMasterKeyId": kms_key}
        elif table.sse_specification and table.sse_specification.get("Enabled"):
            sse = {"Enabled": True, "SSEType": "KMS"}  # region's AWS managed key
        streams = table.stream_specification
        replica = target.create_table(
            table.name,
            schema=table.schema,
            throughput=(
                None
                if table.billing_mode == "PAY_PER_REQUEST"
                else {
                    "ReadCapacityUnits": table.throughput["ReadCapacityUnits"],
                    "WriteCapacityUnits": table.throughput["WriteCapacityUnits"],
                }
            ),
            attr=table.attr,
            global_indexes=[
                {
                    "IndexName": i.name,
                    "KeySchema": i.schema,
                    "Projection": i.projection,
                    **({"ProvisionedThroughput": i.throughput} if i.throughput else {}),
                }
                for i in table.global_indexes
            ],
            indexes=[
                {"IndexName": i.name, "KeySchema": i.schema, "Projection": i.projection}
                for i in table.indexes
            ],
            streams=dict(streams) if streams and streams.get("StreamEnabled") else None,
            billing_mode=table.billing_mode,
            sse_specification=sse,
            tags=[],
            deletion_protection_enabled=False,
            warm_throughput=None,
        )
        replica.items = table.items  # one item store for the whole group
        replica._replica_group = group
        group[region] = {"KMSMasterKeyId": (replica.sse_specification or {}).get("KMSMasterKeyId")}

    def update_replica(table: Table, action: dict[str, Any]) -> None:
        region = action.get("RegionName")
        group = group_of(table)
        if region not in group or region == table.region_name:
            raise MockValidationException(not_found)
        if action.get("KMSMasterKeyId"):
            arn = resolve_kms_key(table.account_id, region, action["KMSMasterKeyId"])
            replica = dynamodb_backends[table.account_id][region].get_table(table.name)
            replica.sse_specification = {"Enabled": True, "SSEType": "KMS", "KMSMasterKeyId": arn}
            group[region]["KMSMasterKeyId"] = arn

    def delete_replica(table: Table, action: dict[str, Any]) -> None:
        region = action.get("RegionName")
        group = group_of(table)
        if region not in group or region == table.region_name:
            raise MockValidationException(not_found)
        backend = dynamodb_backends[table.account_id][region]
        backend.tables.pop(table.name, None)
        group.pop(region, None)

    handlers = {"Create": create_replica, "Update": update_replica, "Delete": delete_replica}
    original_update_table = DynamoHandler.update_table

    def update_table(self: Any) -> Any:
        replica_updates = self.body.get("ReplicaUpdates") or []
        result = original_update_table(self)
        if not replica_updates:
            return result
        table = self.dynamodb_backend.get_table(self.body["TableName"])
        for update in replica_updates:
            for action_name, action in update.items():
                if action_name in handlers and action:
                    handlers[action_name](table, action)
        return DynamoResult(table.describe())

    original_describe = Table.describe

    def describe(self: Any, base_key: str = "TableDescription") -> dict[str, Any]:
        result = original_describe(self, base_key)
        group = getattr(self, "_replica_group", None)
        others = [r for r in (group or {}) if r != self.region_name]
        if others:
            replicas = []
            for region in others:
                entry: dict[str, Any] = {"RegionName": region, "ReplicaStatus": "ACTIVE"}
                if group[region].get("KMSMasterKeyId"):
                    entry["KMSMasterKeyId"] = group[region]["KMSMasterKeyId"]
                replicas.append(entry)
            result[base_key]["Replicas"] = replicas
            result[base_key]["GlobalTableVersion"] = "2019.11.21"
        return result

    original_delete_table = DynamoDBBackend.delete_table

    def delete_table(self: Any, name: str) -> Any:
        table = original_delete_table(self, name)
        group = getattr(table, "_replica_group", None)
        if group is not None:
            group.pop(table.region_name, None)
        return table

    DynamoHandler.update_table = update_table
    Table.describe = describe
    DynamoDBBackend.delete_table = delete_table


PATCHES = [
    patch_mrk_ciphertext_header,
    patch_replicate_key_independent,
    patch_describe_key_read_only,
    patch_replicate_key_arguments,
    patch_update_primary_region,
    patch_s3_replication_round_trip,
    patch_dynamodb_replicas,
]


def apply_patches() -> None:
    check_moto_version()
    for patch in PATCHES:
        patch()


# --------------------------------------------------------------------------------------
# Server
# --------------------------------------------------------------------------------------


def _watch_parent(original_ppid: int) -> None:
    """Stop this server when the process that started it goes away (even by SIGKILL)."""
    while True:
        time.sleep(0.5)
        if os.getppid() != original_ppid:
            os.kill(os.getpid(), signal.SIGTERM)
            log("parent process exited; stopping")
            return


def main(argv: list[str] | None = None) -> int:
    parent_pid = os.getppid()  # before the slow imports, so an early parent exit is noticed
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--port", type=int, default=int(os.environ.get("MOTO_PORT", "5000")),
                        help="port on 127.0.0.1 (0 = any free port; the READY line names it)")
    parser.add_argument("--account-id", default=None,
                        help="AWS account id of every request (sets MOTO_ACCOUNT_ID)")
    parser.add_argument("--exit-with-parent", action="store_true",
                        help="stop when the parent process exits")
    parser.add_argument("--no-patches", action="store_true",
                        help="serve unpatched moto (to reproduce a defect)")
    parser.add_argument("--quiet", action="store_true",
                        help="do not log every request to stderr")
    parser.add_argument("--pid-file", default=None,
                        help="write this process's pid here once listening; removed on exit")
    args = parser.parse_args(argv)

    if args.account_id:
        if not re.fullmatch(r"\d{12}", args.account_id):
            parser.error(f"--account-id must be 12 digits, got {args.account_id!r}")
        os.environ["MOTO_ACCOUNT_ID"] = args.account_id

    # Loopback only; moto builds some URLs from MOTO_PORT.
    os.environ.setdefault("MOTO_PORT", str(args.port))

    if not args.no_patches:
        apply_patches()
    else:
        check_moto_version()

    from moto.moto_server.werkzeug_app import DomainDispatcherApplication, create_backend_app
    from werkzeug.serving import make_server

    def stop(signum: int, frame: Any) -> None:
        raise SystemExit(0)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)

    app = DomainDispatcherApplication(create_backend_app)
    try:
        server = make_server(HOST, args.port, app, threaded=True)
    except (OSError, SystemExit) as err:  # werkzeug exits itself when the port is taken
        reason = err if isinstance(err, OSError) else "the address is in use"
        log(f"cannot listen on {HOST}:{args.port}: {reason}")
        return 2
    port = server.server_port
    os.environ["MOTO_PORT"] = str(port)

    if args.quiet:
        logging.getLogger("werkzeug").setLevel(logging.WARNING)
    if args.exit_with_parent:
        threading.Thread(target=_watch_parent, args=(parent_pid,), daemon=True).start()
    if args.pid_file:
        with open(args.pid_file, "w", encoding="utf-8") as f:
            f.write(f"{os.getpid()}\n")

    print(f"READY {port}", flush=True)
    try:
        server.serve_forever()
    except SystemExit:
        pass
    finally:
        server.server_close()
        if args.pid_file:
            try:
                os.remove(args.pid_file)
            except OSError:
                pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
