"""SQLAlchemy models shared by the Python services (drive-intel, video-agent, titan-core, ...).

Each service vendors a copy of this file under its own shared/db/ folder.  The tables are
created by the SQL migrations in db/migrations/; these classes only map them.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    Date,
    DateTime,
    Enum,
    Float,
    ForeignKey,
    Index,
    Integer,
    Numeric,
    SmallInteger,
    String,
    Text,
    func,
    text,
)
from sqlalchemy.dialects.postgresql import JSONB, UUID
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

CAMPAIGN_STATUSES = ("draft", "active", "paused", "completed", "archived")


class Base(DeclarativeBase):
    pass


class User(Base):
    __tablename__ = "users"

    id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True), primary_key=True, server_default=text("gen_random_uuid()")
    )
    email: Mapped[str] = mapped_column(String(255), unique=True)
    full_name: Mapped[str] = mapped_column(String(200))
    company_name: Mapped[str | None] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(20), server_default="member")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now(), onupdate=func.now()
    )
    last_login_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class Campaign(Base):
    __tablename__ = "campaigns"
    __table_args__ = (Index("campaigns_user_id_idx", "user_id"),)

    id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True), primary_key=True, server_default=text("gen_random_uuid()")
    )
    user_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True), ForeignKey("users.id", ondelete="CASCADE")
    )
    name: Mapped[str] = mapped_column(String(200), server_default="Untitled campaign")
    status: Mapped[str] = mapped_column(
        Enum(*CAMPAIGN_STATUSES, name="campaign_status"), server_default="draft"
    )
    budget_daily: Mapped[Decimal | None] = mapped_column(Numeric(10, 2))
    spend: Mapped[Decimal] = mapped_column(Numeric(12, 2), server_default=text("0"))
    revenue: Mapped[Decimal] = mapped_column(Numeric(12, 2), server_default=text("0"))
    conversions: Mapped[int] = mapped_column(Integer, server_default=text("0"))
    total_generated: Mapped[int] = mapped_column(Integer, server_default=text("0"))
    approved_count: Mapped[int] = mapped_column(Integer, server_default=text("0"))
    rejected_count: Mapped[int] = mapped_column(Integer, server_default=text("0"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now(), onupdate=func.now()
    )


class Video(Base):
    __tablename__ = "videos"

    id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True), primary_key=True, server_default=text("gen_random_uuid()")
    )
    campaign_id: Mapped[uuid.UUID | None] = mapped_column(
        UUID(as_uuid=True), ForeignKey("campaigns.id", ondelete="SET NULL")
    )
    title: Mapped[str] = mapped_column(String(255))
    storage_path: Mapped[str] = mapped_column(Text)
    duration_ms: Mapped[int | None] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(20), server_default="uploaded")
    published_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class Clip(Base):
    __tablename__ = "clips"
    __table_args__ = (
        CheckConstraint("end_ms > start_ms", name="clips_range_check"),
        Index("clips_video_id_idx", "video_id"),
    )

    id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True), primary_key=True, server_default=text("gen_random_uuid()")
    )
    video_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True), ForeignKey("videos.id", ondelete="CASCADE")
    )
    start_ms: Mapped[int] = mapped_column(Integer)
    end_ms: Mapped[int] = mapped_column(Integer)
    transcript: Mapped[str | None] = mapped_column(Text)
    scene_type: Mapped[str | None] = mapped_column(String(50))
    engagement_score: Mapped[Decimal | None] = mapped_column(Numeric(5, 4))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class Blueprint(Base):
    __tablename__ = "blueprints"
    __table_args__ = (Index("blueprints_campaign_id_idx", "campaign_id"),)

    id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True), primary_key=True, server_default=text("gen_random_uuid()")
    )
    campaign_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True), ForeignKey("campaigns.id", ondelete="CASCADE")
    )
    hook: Mapped[str] = mapped_column(Text)
    script: Mapped[dict] = mapped_column(JSONB, server_default=text("'{}'::jsonb"))
    council_score: Mapped[Decimal | None] = mapped_column(Numeric(5, 2))
    predicted_roas: Mapped[Decimal | None] = mapped_column(Numeric(10, 4))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class Ad(Base):
    __tablename__ = "ads"
    __table_args__ = (Index("ads_campaign_id_status_idx", "campaign_id", "status"),)

    id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True), primary_key=True, server_default=text("gen_random_uuid()")
    )
    campaign_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True), ForeignKey("campaigns.id", ondelete="CASCADE")
    )
    blueprint_id: Mapped[uuid.UUID | None] = mapped_column(
        UUID(as_uuid=True), ForeignKey("blueprints.id", ondelete="SET NULL")
    )
    video_id: Mapped[uuid.UUID | None] = mapped_column(
        UUID(as_uuid=True), ForeignKey("videos.id", ondelete="SET NULL")
    )
    headline: Mapped[str] = mapped_column(String(255))
    primary_text: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(20), server_default="pending_review")
    approved_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class RenderJob(Base):
    """A render request handed to the video-agent worker, keyed by the worker's job id."""

    __tablename__ = "render_jobs"

    job_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    storyboard: Mapped[dict] = mapped_column(JSONB)
    output_format: Mapped[str] = mapped_column(String(10), server_default="mp4")
    resolution: Mapped[str] = mapped_column(String(20), server_default="1080x1920")
    fps: Mapped[int] = mapped_column(Integer, server_default="30")
    output_path: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(20), server_default="queued")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class Prediction(Base):
    __tablename__ = "predictions"
    __table_args__ = (Index("predictions_ad_id_idx", "ad_id"),)

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    ad_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True), ForeignKey("ads.id", ondelete="CASCADE")
    )
    model_version: Mapped[str] = mapped_column(String(50))
    predicted_ctr: Mapped[Decimal | None] = mapped_column(Numeric(6, 5))
    predicted_roas: Mapped[Decimal | None] = mapped_column(Numeric(10, 4))
    features: Mapped[dict | None] = mapped_column(JSONB)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class DailyAnalytics(Base):
    __tablename__ = "daily_analytics"

    campaign_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True), ForeignKey("campaigns.id", ondelete="CASCADE"), primary_key=True
    )
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    impressions: Mapped[int] = mapped_column(BigInteger, server_default=text("0"))
    clicks: Mapped[int] = mapped_column(BigInteger, server_default=text("0"))
    conversions: Mapped[int] = mapped_column(Integer, server_default=text("0"))
    spend: Mapped[float] = mapped_column(Float, server_default=text("0"))
    revenue: Mapped[Decimal] = mapped_column(Numeric(12, 2), server_default=text("0"))


class Job(Base):
    __tablename__ = "jobs"
    __table_args__ = (
        Index(
            "jobs_queue_run_at_idx",
            "queue",
            "run_at",
            postgresql_where=text("locked_by IS NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=True)
    queue: Mapped[str] = mapped_column(String(50), server_default="default")
    kind: Mapped[str] = mapped_column(String(100))
    payload: Mapped[dict] = mapped_column(JSONB, server_default=text("'{}'::jsonb"))
    attempts: Mapped[int] = mapped_column(SmallInteger, server_default=text("0"))
    run_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    locked_by: Mapped[str | None] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class PredictionRecord(Base):
    """What a prediction turned out to be once the ad had run: the ML feedback loop."""

    __tablename__ = "prediction_records"

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=True)
    prediction_id: Mapped[str] = mapped_column(String(64), index=True)
    actual_ctr: Mapped[float | None] = mapped_column(Float)
    actual_roas: Mapped[float | None] = mapped_column(Float)
    recorded_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now()
    )


class DriftReport(Base):
    """A nightly comparison of live feature distributions with the training set."""

    __tablename__ = "drift_reports"

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=True)
    model_version: Mapped[str] = mapped_column(String(50))
    feature: Mapped[str] = mapped_column(String(100))
    psi: Mapped[float] = mapped_column(Float)
    alert: Mapped[bool] = mapped_column(server_default=text("false"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
