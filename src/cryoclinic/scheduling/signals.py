"""What other apps may react to, without the booking services knowing them (deposits are refunded on these).

Each is sent inside the transaction that makes the change; a receiver that talks to the outside world defers
its work with `transaction.on_commit`.
"""

from django.dispatch import Signal

# appointment: the Appointment now cancelled; by: the user who cancelled it (None: the system); within_notice:
# whether it was cancelled at least the clinic's notice before it starts.
appointment_cancelled = Signal()
# course: the Course now cancelled; appointments: the sessions cancelled with it; by; within_notice.
course_cancelled = Signal()
