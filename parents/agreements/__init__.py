"""The annual home-school agreement (seeds 000 and 003): senior leaders write a version for
the academic year and publish it (versions), with its translations into the families'
languages (translations); each guardian signs it for each child, and the pupil may add
their own acknowledgement (signing); staff see coverage and send gentle reminders to
families who have not signed (coverage). What an agreement is made of is in text, the
suggested wording a school starts from in defaults.

Signing is never a condition of anything and never penalised: nothing outside this
package reads a signature."""
