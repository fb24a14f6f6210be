"""The parents' forms, by area (as parents/views/ and parents/urls/). Each renders through
crispy: templates keep their own <form> tag and buttons, fields carry no CSS classes."""
