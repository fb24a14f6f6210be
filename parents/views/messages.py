"""Message threads between a guardian and their child's tutor or teachers."""

from django.contrib import messages as flash
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from school import access
from school.models import GuardianLink

from .. import messages
from ..forms.messages import MessageReplyForm, ThreadStartForm
from ..models import Thread
from ..signoff import guardian_link_for, guardian_links


@login_required
def parents_messages(request):
    """A guardian's threads and a member of staff's threads addressed to them, newest
    first, with unread counts (and, for staff, response times)."""
    if not messages.may_use_messages(request.user):
        raise Http404("Messages are for parents, carers and staff.")
    return render(
        request, "parents/messages/list.html", {"page": messages.thread_list(request.user)}
    )


@login_required
def parents_message_new(request):
    """GET (`pupil`): choose the child, then the form to write to their form tutor or one
    of their teachers. POST: start the thread, or the form again with the error (status
    400) and nothing saved. A child who is not theirs answers 404."""
    if not access.is_guardian(request.user):
        raise Http404("Only parents and carers start a conversation here.")
    if request.method not in ("GET", "POST"):
        return HttpResponseNotAllowed(["GET", "POST"])
    source = request.POST if request.method == "POST" else request.GET
    links = list(guardian_links(request.user))
    raw = source.get("pupil", "")
    if not raw and len(links) == 1:
        raw = str(links[0].pupil_id)
    if not raw:
        return render(
            request,
            "parents/messages/new.html",
            {"links": links, "link": None, "form": None},
            status=400 if request.method == "POST" else 200,
        )
    try:
        link = guardian_link_for(request.user, int(raw))
    except (ValueError, GuardianLink.DoesNotExist):
        raise Http404("No such child.") from None
    choices = messages.staff_choices(link.pupil)
    form = ThreadStartForm(request.POST or None, choices=choices)
    if request.method == "POST" and form.is_valid():
        try:
            thread = messages.thread_start(
                user=request.user,
                link=link,
                staff=form.cleaned_data["staff"],
                subject=form.cleaned_data["subject"],
                body=form.cleaned_data["body"],
            )
        except messages.MessageError as refused:
            form.add_error(None, str(refused))
        else:
            flash.success(request, _("Your message has been sent."))
            return redirect("parents_message_thread", thread.pk)
    return render(
        request,
        "parents/messages/new.html",
        {"links": links, "link": link, "form": form, "choices": choices},
        status=400 if request.method == "POST" else 200,
    )


@login_required
def parents_message_thread(request, thread_id):
    """GET: the thread's messages, oldest first (it is then read). POST (`body`): a reply,
    or the page again with the error (status 400) and nothing sent. Someone else's
    thread answers 404."""
    try:
        thread = messages.thread_detail(request.user, thread_id)
    except Thread.DoesNotExist:
        raise Http404("No such conversation.") from None
    if request.method not in ("GET", "POST"):
        return HttpResponseNotAllowed(["GET", "POST"])
    as_guardian = thread.guardian.user_id == request.user.pk
    form = MessageReplyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            messages.message_send(
                author=request.user,
                thread=thread,
                body=form.cleaned_data["body"],
                as_guardian=as_guardian,
            )
        except messages.MessageError as refused:
            form.add_error(None, str(refused))
        else:
            flash.success(request, _("Your reply has been sent."))
            return redirect("parents_message_thread", thread.pk)
    page = messages.thread_page(request.user, thread)
    if request.method == "GET":
        messages.thread_mark_read(thread=thread, as_guardian=as_guardian)
    return render(
        request,
        "parents/messages/thread.html",
        {
            "page": page,
            "thread": thread,
            "form": form,
        },
        status=400 if request.method == "POST" else 200,
    )
