#!/usr/bin/env python3
"""Check the S3 and DynamoDB fixes of moto_launcher.py against a running emulator.

Usage: python3 scripts/emulator/check_s3_dynamodb.py --endpoint http://127.0.0.1:PORT

Prints one line per check, `PASS <name>` or `FAIL <name>: <detail>`, and exits 0 only
if every check passed. Uses boto3 with static test credentials; every name it creates
carries a random suffix, so it can run against an emulator that is already in use.
"""

from __future__ import annotations

import argparse
import json
import sys
import uuid
from collections.abc import Callable
from typing import Any

import boto3
from botocore.config import Config
from botocore.exceptions import ClientError

PRIMARY, REPLICA, OTHER = "us-east-1", "eu-west-1", "ap-southeast-1"


class Checks:
    def __init__(self) -> None:
        self.failed = 0

    def run(self, name: str, fn: Callable[[], None]) -> None:
        try:
            fn()
        except AssertionError as err:
            self.failed += 1
            print(f"FAIL {name}: {err}", flush=True)
        except Exception as err:  # an unexpected error is a failed check too
            self.failed += 1
            print(f"FAIL {name}: {type(err).__name__}: {err}", flush=True)
        else:
            print(f"PASS {name}", flush=True)


def expect_equal(actual: Any, expected: Any, what: str) -> None:
    assert actual == expected, f"{what}: expected {expected!r}, got {actual!r}"


def expect_client_error(fn: Callable[[], Any], code: str, message_part: str = "") -> None:
    try:
        fn()
    except ClientError as err:
        got = err.response["Error"]
        assert got["Code"] == code, f"expected {code}, got {got['Code']}: {got.get('Message')}"
        assert message_part in got.get("Message", ""), (
            f"expected message containing {message_part!r}, got {got.get('Message')!r}"
        )
        return
    raise AssertionError(f"expected {code}, the call succeeded")


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--endpoint", required=True, help="http://127.0.0.1:PORT")
    args = parser.parse_args()
    if not args.endpoint.startswith("http://127.0.0.1:"):
        parser.error("the endpoint must be on 127.0.0.1")

    def client(service: str, region: str) -> Any:
        return boto3.client(
            service,
            region_name=region,
            endpoint_url=args.endpoint,
            aws_access_key_id="testing",
            aws_secret_access_key="testing",
            config=Config(s3={"addressing_style": "path"}, retries={"max_attempts": 1}),
        )

    suffix = uuid.uuid4().hex[:8]
    checks = Checks()

    # ---------------- KMS keys used by both services ----------------
    kms_primary, kms_replica = client("kms", PRIMARY), client("kms", REPLICA)
    key = kms_primary.create_key(MultiRegion=True, Description="check")["KeyMetadata"]
    primary_arn = key["Arn"]
    replica_arn = kms_primary.replicate_key(KeyId=key["KeyId"], ReplicaRegion=REPLICA)[
        "ReplicaKeyMetadata"
    ]["Arn"]

    # ---------------- S3 replication configuration ----------------
    s3_src, s3_dst = client("s3", PRIMARY), client("s3", REPLICA)
    src, dst = f"check-src-{suffix}", f"check-dst-{suffix}"
    s3_src.create_bucket(Bucket=src)
    s3_dst.create_bucket(Bucket=dst, CreateBucketConfiguration={"LocationConstraint": REPLICA})
    for s3, bucket in ((s3_src, src), (s3_dst, dst)):
        s3.put_bucket_versioning(Bucket=bucket, VersioningConfiguration={"Status": "Enabled"})
    s3_src.put_bucket_replication(
        Bucket=src,
        ReplicationConfiguration={
            "Role": "arn:aws:iam::123456789012:role/replication",
            "Rules": [
                {
                    "ID": "kms-replication",
                    "Priority": 1,
                    "Status": "Enabled",
                    "Filter": {"Prefix": "data/"},
                    "DeleteMarkerReplication": {"Status": "Enabled"},
                    "SourceSelectionCriteria": {"SseKmsEncryptedObjects": {"Status": "Enabled"}},
                    "Destination": {
                        "Bucket": f"arn:aws:s3:::{dst}",
                        "EncryptionConfiguration": {"ReplicaKmsKeyID": replica_arn},
                    },
                }
            ],
        },
    )
    rule = s3_src.get_bucket_replication(Bucket=src)["ReplicationConfiguration"]["Rules"][0]

    checks.run(
        "s3_source_selection_criteria_round_trip",
        lambda: expect_equal(
            rule.get("SourceSelectionCriteria"),
            {"SseKmsEncryptedObjects": {"Status": "Enabled"}},
            "SourceSelectionCriteria",
        ),
    )
    checks.run(
        "s3_delete_marker_replication_round_trip",
        lambda: expect_equal(
            rule.get("DeleteMarkerReplication"), {"Status": "Enabled"}, "DeleteMarkerReplication"
        ),
    )
    checks.run(
        "s3_filter_prefix_round_trip",
        lambda: expect_equal(rule.get("Filter"), {"Prefix": "data/"}, "Filter"),
    )
    checks.run(
        "s3_replica_kms_key_id_round_trip",
        lambda: expect_equal(
            rule["Destination"].get("EncryptionConfiguration"),
            {"ReplicaKmsKeyID": replica_arn},
            "Destination.EncryptionConfiguration",
        ),
    )

    # ---------------- DynamoDB global table replicas ----------------
    ddb_primary, ddb_replica = client("dynamodb", PRIMARY), client("dynamodb", REPLICA)
    table = f"check-table-{suffix}"
    ddb_primary.create_table(
        TableName=table,
        BillingMode="PAY_PER_REQUEST",
        AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
        KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
        StreamSpecification={"StreamEnabled": True, "StreamViewType": "NEW_AND_OLD_IMAGES"},
        SSESpecification={"Enabled": True, "SSEType": "KMS", "KMSMasterKeyId": primary_arn},
    )
    ddb_primary.update_table(
        TableName=table,
        ReplicaUpdates=[{"Create": {"RegionName": REPLICA, "KMSMasterKeyId": replica_arn}}],
    )

    def replicas_seen_from_primary() -> None:
        desc = ddb_primary.describe_table(TableName=table)["Table"]
        expect_equal(
            desc.get("Replicas"),
            [{"RegionName": REPLICA, "ReplicaStatus": "ACTIVE", "KMSMasterKeyId": replica_arn}],
            "Replicas in the primary region",
        )

    def replica_table_in_its_region() -> None:
        desc = ddb_replica.describe_table(TableName=table)["Table"]
        expect_equal(desc["TableStatus"], "ACTIVE", "TableStatus")
        expect_equal(desc["SSEDescription"]["KMSMasterKeyArn"], replica_arn, "replica SSE key")
        expect_equal(
            [(r["RegionName"], r["ReplicaStatus"]) for r in desc.get("Replicas", [])],
            [(PRIMARY, "ACTIVE")],
            "Replicas in the replica region",
        )

    def items_visible_in_both_regions() -> None:
        ddb_primary.put_item(TableName=table, Item={"pk": {"S": "a"}, "v": {"S": "from-us"}})
        got = ddb_replica.get_item(TableName=table, Key={"pk": {"S": "a"}}).get("Item")
        expect_equal(got, {"pk": {"S": "a"}, "v": {"S": "from-us"}}, "item read in the replica region")

    checks.run("dynamodb_replica_active_with_its_kms_key", replicas_seen_from_primary)
    checks.run("dynamodb_replica_table_in_replica_region", replica_table_in_its_region)
    checks.run("dynamodb_items_visible_in_every_region", items_visible_in_both_regions)
    checks.run(
        "dynamodb_replica_rejects_key_of_another_region",
        lambda: expect_client_error(
            lambda: ddb_primary.update_table(
                TableName=table,
                ReplicaUpdates=[{"Create": {"RegionName": OTHER, "KMSMasterKeyId": primary_arn}}],
            ),
            "ValidationException",
            "not in the replica's region",
        ),
    )
    checks.run(
        "dynamodb_duplicate_replica_says_already_exist",
        lambda: expect_client_error(
            lambda: ddb_primary.update_table(
                TableName=table,
                ReplicaUpdates=[{"Create": {"RegionName": REPLICA, "KMSMasterKeyId": replica_arn}}],
            ),
            "ValidationException",
            "already exist",
        ),
    )

    def delete_replica() -> None:
        ddb_primary.update_table(TableName=table, ReplicaUpdates=[{"Delete": {"RegionName": REPLICA}}])
        desc = ddb_primary.describe_table(TableName=table)["Table"]
        expect_equal(desc.get("Replicas", []), [], "Replicas after Delete")
        expect_client_error(
            lambda: ddb_replica.describe_table(TableName=table), "ResourceNotFoundException"
        )

    checks.run("dynamodb_delete_replica_removes_it", delete_replica)

    print(json.dumps({"failed": checks.failed}), flush=True)
    return 1 if checks.failed else 0


if __name__ == "__main__":
    sys.exit(main())
